"""One detector, one recipe: FCOS with a ResNet-18-FPN backbone, trained from scratch (no weights are
downloaded; nothing tries to).

Recipe (the same for every model; `finetuned` starts from `full`'s weights with its own, shorter schedule):
* GroupNorm (32 groups) in the backbone as in FCOS' head: statistics per image, stable from scratch at any batch;
* fp32 throughout (TF32 matrix products on the GPU), AdamW, linear warm-up then cosine decay to zero,
  gradient norm clipped at 5, horizontal flips as the only augmentation (so that the randomization presets are
  the only difference between the synthetic models);
* images at their own size (320×240: FCOS' resize is a no-op), the whole training set decoded once into one
  uint8 tensor on the device.

Every epoch: a checkpoint (the run resumes from it), the held-out AP50 from `synthbench eval` on the
model's validation set (and on a second set, logged as an extra column), and a collapse check: a run whose
loss is not finite, or, after the first `collapse_after` epochs (FCOS starts with zero-size boxes), whose boxes
have all degenerated (no detection wider and taller than one pixel) or whose held-out AP50 is 0, stops with an
error instead of training on. The CSV log is docs/GRADING.md's: `epoch,wall_seconds,images_seen,
metric` (+ `loss`, `lr`, `metric_other`); wall seconds count training steps only, not the evaluations.
"""
import csv
import io
import json
import math
import os
import sys
import time
from pathlib import Path

import torch
from torch import nn

from . import data, tool

NUM_CLASSES = 5  # COCO category ids 1..4; index 0 unused


class Collapsed(RuntimeError):
    pass


def build_model():
    from torchvision.models import resnet18
    from torchvision.models.detection import FCOS
    from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
    from torchvision.ops.feature_pyramid_network import LastLevelP6P7

    trunk = resnet18(weights=None, norm_layer=lambda c: nn.GroupNorm(32, c))
    backbone = _resnet_fpn_extractor(trunk, 5, returned_layers=[2, 3, 4], extra_blocks=LastLevelP6P7(256, 256))
    return FCOS(backbone, num_classes=NUM_CLASSES, min_size=240, max_size=320, score_thresh=0.05,
                nms_thresh=0.6, detections_per_img=100, topk_candidates=1000)


def device():
    if torch.cuda.is_available():
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
        return torch.device("cuda")
    return torch.device("cpu")


class Split:
    """A dataset held in memory on the device: uint8 images and targets."""

    def __init__(self, dataset, dev, threads):
        images, targets = data.preload(dataset, threads)
        self.images = images.to(dev)
        self.targets = [{"boxes": t["boxes"].to(dev), "labels": t["labels"].to(dev)} for t in targets]
        self.image_ids = [t["image_id"] for t in targets]
        self.size = len(targets)


def ground_truth(spec):
    """The COCO file of `spec`: a synthbench dataset directory's annotations.json, or the COCO file itself."""
    p = Path(spec)
    return str(p / "annotations.json") if p.is_dir() else str(p)


def open_split(spec, threads, dev):
    """`spec` is a synthbench dataset directory or a COCO json file (images relative to it)."""
    p = Path(spec)
    ds = data.SynthBenchDataset(p) if p.is_dir() else data.CocoDetection(p)
    return ds, Split(ds, dev, threads)


@torch.no_grad()
def detect(model, split, batch=64):
    """COCO results (list of dicts) of `model` on every image of `split`."""
    model.eval()
    out = []
    for s in range(0, split.size, batch):
        imgs = split.images[s:s + batch].float().div_(255.0)
        for image_id, det in zip(split.image_ids[s:s + batch], model(list(imgs))):
            boxes = det["boxes"].cpu().tolist()
            for (x0, y0, x1, y1), score, label in zip(boxes, det["scores"].cpu().tolist(), det["labels"].cpu().tolist()):
                out.append({"image_id": image_id, "category_id": int(label),
                            "bbox": [round(x0, 2), round(y0, 2), round(x1 - x0, 2), round(y1 - y0, 2)],
                            "score": round(score, 5)})
    model.train()
    return out


def write_json(path, obj):
    tmp = Path(str(path) + ".partial")
    tmp.write_text(json.dumps(obj, separators=(",", ":")))
    tmp.replace(path)


def held_out(model, split, gt, path):
    """AP50 (fraction) of `model` on `split` from `synthbench eval`, and whether the boxes collapsed."""
    dets = detect(model, split)
    write_json(path, dets)
    if not dets:  # nothing above the score threshold: not a collapse (the AP50 rule catches a run stuck there)
        return 0.0, True
    healthy = any(d["bbox"][2] > 1 and d["bbox"][3] > 1 for d in dets)
    return float(tool.eval_json(gt, path)["ap50"]), healthy


def flip(images, targets, generator):
    """Horizontal flip of a random half of the batch (boxes too)."""
    n, _, _, w = images.shape
    which = torch.rand(n, generator=generator) < 0.5
    out_t = []
    for k, t in enumerate(targets):
        if which[k]:
            b = t["boxes"]
            t = {"boxes": torch.stack([w - b[:, 2], b[:, 1], w - b[:, 0], b[:, 3]], dim=1), "labels": t["labels"]}
        out_t.append(t)
    idx = which.nonzero().flatten().to(images.device)
    if len(idx):
        images[idx] = images[idx].flip(-1)
    return images, out_t


def lr_at(step, total, warmup, base):
    if step < warmup:
        return base * (0.001 + 0.999 * step / warmup)
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warmup) / max(1, total - warmup))))


def train(name, train_spec, val_spec, other_spec, out_dir, epochs, batch, lr, warmup, seed, init=None, threads=8,
          weight_decay=0.05, collapse_after=1, log=sys.stderr):
    """Trains model `name` (resuming from `out_dir/checkpoint.pt`); writes `log.csv` and `final.pt`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if (out_dir / "final.pt").exists():
        print(f"{name}: already trained", file=log)
        return
    dev = device()
    torch.manual_seed(seed)
    t0 = time.time()
    _, tr = open_split(train_spec, threads, dev)
    val_ds, val = open_split(val_spec, threads, dev)
    val_gt = ground_truth(val_spec)
    other = other_gt = None
    if other_spec:
        _, other = open_split(other_spec, threads, dev)
        other_gt = ground_truth(other_spec)
    print(f"{name}: {tr.size} training images, {val.size} held out, loaded in {time.time() - t0:.1f} s on {dev}",
          file=log, flush=True)

    model = build_model().to(dev)
    if init:
        model.load_state_dict(torch.load(init, map_location=dev, weights_only=True))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    per_epoch = tr.size // batch
    if per_epoch < 1:
        raise ValueError(f"{name}: {tr.size} images is less than one batch of {batch}")
    total = epochs * per_epoch
    state = {"epoch": 0, "step": 0, "wall": 0.0, "seen": 0, "rows": []}
    ckpt = out_dir / "checkpoint.pt"
    if ckpt.exists():
        saved = torch.load(ckpt, map_location=dev, weights_only=False)
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["opt"])
        state = saved["state"]
        print(f"{name}: resumed after epoch {state['epoch']}", file=log)
    model.train()
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(state["epoch"] + 1, epochs + 1):
        gen.manual_seed(seed * 1000 + epoch)
        perm = torch.randperm(tr.size, generator=gen)
        if dev.type == "cuda":
            torch.cuda.synchronize()
        start = time.time()
        losses = []
        for b in range(per_epoch):
            idx = perm[b * batch:(b + 1) * batch]
            images = tr.images[idx.to(dev)].float().div_(255.0)
            images, targets = flip(images, [tr.targets[i] for i in idx.tolist()], gen)
            for g in opt.param_groups:
                g["lr"] = lr_at(state["step"], total, warmup, lr)
            loss_dict = model(list(images), targets)
            loss = sum(loss_dict.values())
            if not torch.isfinite(loss):
                raise Collapsed(f"{name}: loss is {loss.item()} at epoch {epoch}, step {state['step']}")
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            state["step"] += 1
            losses.append(loss.detach())
        if dev.type == "cuda":
            torch.cuda.synchronize()
        state["wall"] += time.time() - start
        state["seen"] += per_epoch * batch
        mean_loss = float(torch.stack(losses).mean())
        metric, healthy = held_out(model, val, val_gt, out_dir / "val-detections.json")
        metric_other = held_out(model, other, other_gt, out_dir / "other-detections.json")[0] if other else ""
        if collapse_after and epoch > collapse_after and (not healthy or metric == 0.0):
            raise Collapsed(f"{name}: collapsed at epoch {epoch} (held-out AP50 {metric}, healthy boxes: {healthy})")
        state["epoch"] = epoch
        state["rows"].append({"epoch": epoch, "wall_seconds": round(state["wall"], 3), "images_seen": state["seen"],
                              "metric": round(metric, 6), "loss": round(mean_loss, 5),
                              "lr": f"{lr_at(state['step'], total, warmup, lr):.3g}",
                              "metric_other": round(metric_other, 6) if other else ""})
        write_log(out_dir / "log.csv", state["rows"])
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state}, str(ckpt) + ".partial")
        os.replace(str(ckpt) + ".partial", ckpt)
        print(f"{name}: epoch {epoch}/{epochs} loss {mean_loss:.3f} held-out AP50 {metric:.3f}"
              f"{f' other {metric_other:.3f}' if other else ''} wall {state['wall']:.0f} s", file=log, flush=True)
    torch.save(model.state_dict(), str(out_dir / "final.pt") + ".partial")
    os.replace(str(out_dir / "final.pt") + ".partial", out_dir / "final.pt")


def write_log(path, rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["epoch", "wall_seconds", "images_seen", "metric", "loss", "lr", "metric_other"],
                       lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    tmp = Path(str(path) + ".partial")
    tmp.write_text(buf.getvalue())
    tmp.replace(path)


def predict(weights, test_spec, out_path, threads=8):
    """Detections of the model in `weights` on a test set, as a COCO results file."""
    dev = device()
    model = build_model().to(dev)
    model.load_state_dict(torch.load(weights, map_location=dev, weights_only=True))
    _, split = open_split(test_spec, threads, dev)
    write_json(out_path, detect(model, split))


def predict_missing(weights, tests, threads=8, log=sys.stderr):
    """`tests` maps a test-set name to (ground truth spec, detections path); makes the missing detection files."""
    for gt, det in tests.values():
        if not Path(det).exists():
            Path(det).parent.mkdir(parents=True, exist_ok=True)
            predict(weights, gt, det, threads)
            print(f"detections: {Path(det).name}", file=log, flush=True)
