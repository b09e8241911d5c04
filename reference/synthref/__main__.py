"""`reference/run`: the reference experiment, stage by stage.

    reference/run [--smoke] [--stages generate,target,train,evaluate,submit,report] [--work DIR] [--out DIR]
                  [--target DIR] [--parallel N]

Stages (each can run alone; each skips what is already complete, so a stopped run continues):
  generate  `synthbench generate` the training sets (presets none, light, full: same seed, same layouts), a
            synthetic validation set and a synthetic test set            → WORK/data/
  target    the target domain (MuJoCo work cell, a sim-to-sim proxy) or `--target DIR`, a COCO dataset with
            train.json, val.json, test.json (and optionally finetune.json) → WORK/target/
  train     none, light, full (synthetic), scratch (target train) side by side, then finetuned (full → 1K target)
            → WORK/models/NAME/{log.csv, final.pt}
  evaluate  detections on the test sets                                  → WORK/det/
  submit    the submission (submission.yaml, logs, detections, test ground truths, datasets.lock) in OUT and
            `synthbench grade` on it (chapter-4 rubric, and a copy with bootstrap intervals) → OUT/grade*/
  report    OUT/README.md (one row per chapter claim) and OUT/curves.png
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import lock, settings, tool
from .tool import REPO, say

STAGES = ["generate", "target", "train", "evaluate", "submit", "report"]
CONFIGS = REPO / "reference" / "configs"
RUBRIC_INTERVALS = REPO / "reference" / "rubrics" / "chapter4-intervals.yaml"


class Run:
    def __init__(self, args):
        self.s = settings.SMOKE if args.smoke else settings.FULL
        self.work = Path(args.work or (REPO / ("reference-work-smoke" if args.smoke else "reference-work"))).resolve()
        self.out = Path(args.out or (REPO / "results" / ("reference-smoke" if args.smoke else "reference"))).resolve()
        self.target_dir = Path(args.target).resolve() if args.target else None
        self.parallel = args.parallel or (4 if _cuda() else 1)
        self.work.mkdir(parents=True, exist_ok=True)
        self.times_path = self.work / "stages.json"

    # ---- bookkeeping
    def record(self, stage, seconds):
        times = json.loads(self.times_path.read_text()) if self.times_path.exists() else {}
        times[stage] = {"seconds": round(seconds, 1)}
        self.times_path.write_text(json.dumps(times, indent=2, sort_keys=True) + "\n")

    def datasets(self):
        """name → (config file, frames, seed)."""
        s = self.s
        d = {p: (CONFIGS / f"{p}.yaml", s.train_frames, s.train_seed) for p in settings.PRESETS}
        d["syn-val"] = (CONFIGS / "full.yaml", s.val_frames, s.val_seed)
        d["syn-test"] = (CONFIGS / "full.yaml", s.test_frames, s.test_seed)
        return d

    def data(self, name):
        return self.work / "data" / name

    def target(self, split):
        return self.work / "target" / f"{split}.json"

    # ---- stages
    def generate(self):
        for name, (config, frames, seed) in self.datasets().items():
            out = self.data(name)
            if (out / "manifest.json").exists():
                say(f"generate: {name} already complete")
                continue
            args = ["generate", "--config", config, "--frames", frames, "--seed", seed, "--out", out, "--quiet"]
            if self.s.generate_lanes:
                args += ["--lanes", self.s.generate_lanes]
            if out.exists():
                args.append("--resume")
            t = time.time()
            tool.run(args)
            say(f"generate: {name}: {frames} frames in {time.time() - t:.1f} s")

    def target_stage(self):
        dst = self.work / "target"
        if self.target_dir:
            for split in ("train", "val", "test"):
                if not (self.target_dir / f"{split}.json").is_file():
                    raise tool.ToolError(f"--target {self.target_dir}: {split}.json is missing", 2)
            dst.mkdir(parents=True, exist_ok=True)
            for split in ("train", "val", "test", "finetune"):
                src = self.target_dir / f"{split}.json"
                if split == "finetune" and not src.is_file():
                    train = json.loads((self.target_dir / "train.json").read_text())
                    keep = {im["id"] for im in sorted(train["images"], key=lambda im: im["id"])[:self.s.target["finetune"]]}
                    train["images"] = [im for im in train["images"] if im["id"] in keep]
                    train["annotations"] = [a for a in train["annotations"] if a["image_id"] in keep]
                    self._write_coco(dst / "finetune.json", train, self.target_dir)
                    continue
                self._write_coco(dst / f"{split}.json", json.loads(src.read_text()), self.target_dir)
            self.target_digest()
            return
        if all(self.target(s).exists() for s in ("train", "finetune", "val", "test", "digest")):
            say("target: already complete")
            return
        from . import target
        target.build(dst, self.s.target_seed, self.s.target, workers=None if not self.s.name == "smoke" else 2)
        self.target_digest()

    def target_digest(self):
        """WORK/target/digest.json: the target's content digest, taken where its images are."""
        dst = self.work / "target"
        (dst / "digest.json").unlink(missing_ok=True)
        digest, count = lock.digest_files(dst)
        (dst / "digest.json").write_text(json.dumps({"digest": digest, "files": count}) + "\n")

    @staticmethod
    def _write_coco(path, coco, image_root):
        """A user's COCO file with its file names made absolute against its own directory (kept inside it)."""
        root = Path(image_root).resolve()
        for im in coco["images"]:
            p = (root / im["file_name"]).resolve()
            if root not in p.parents:
                raise tool.ToolError(f"{image_root}: file_name {im['file_name']!r} leaves the directory", 2)
            im["file_name"] = str(p)
        Path(path).write_text(json.dumps(coco))

    def test_sets(self, model):
        """Test set name → ground truth the model's detections are made on."""
        sets = {"real": self.target("test")}
        if model in settings.PRESETS:
            sets["synthetic"] = self.data("syn-test")
        return sets

    def model_specs(self):
        s, syn_val, tgt_val = self.s, self.data("syn-val"), self.target("val")
        common = dict(batch=s.batch, seed=s.train_seed_torch, threads=s.threads, collapse_after=s.collapse_after)
        specs = {p: dict(train=self.data(p), val=syn_val, other=tgt_val, epochs=s.epochs, lr=s.lr, warmup=s.warmup,
                         **common) for p in settings.PRESETS}
        specs["scratch"] = dict(train=self.target("train"), val=tgt_val, other=syn_val, epochs=s.epochs, lr=s.lr,
                                warmup=s.warmup, **common)
        specs["finetuned"] = dict(train=self.target("finetune"), val=tgt_val, other=syn_val, epochs=s.finetune_epochs,
                                  lr=s.finetune_lr, warmup=s.finetune_warmup,
                                  init=self.work / "models" / "full" / "final.pt", **common)
        for m, spec in specs.items():
            spec["tests"] = self.detection_jobs(m)
        return specs

    def detection_jobs(self, model):
        """Test set name → (ground truth, detections file) of a model."""
        return {name: (str(gt), str(self.work / "det" / f"{model}-{name}.json"))
                for name, gt in self.test_sets(model).items()}

    def train(self):
        specs = self.model_specs()
        for phase in (["none", "light", "full", "scratch"], ["finetuned"]):
            procs = []
            todo = [m for m in phase if not (self.work / "models" / m / "final.pt").exists()]
            for i in range(0, len(todo), self.parallel):
                batch = todo[i:i + self.parallel]
                for m in batch:
                    (self.work / "models" / m).mkdir(parents=True, exist_ok=True)
                    log = open(self.work / "models" / m / "train.log", "a")
                    spec = json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in specs[m].items()})
                    procs.append((m, subprocess.Popen([sys.executable, "-m", "synthref", "train-one", m, spec,
                                                       str(self.work / "models" / m)],
                                                      cwd=REPO / "reference", stdout=log, stderr=log)))
                for m, p in procs:
                    if p.wait() != 0:
                        tail = (self.work / "models" / m / "train.log").read_text()[-3000:]
                        raise tool.ToolError(f"training {m} failed (exit {p.returncode}):\n{tail}", 1)
                    say(f"train: {m} done")
                procs = []

    def evaluate(self):
        from . import train
        for m in settings.MODELS:
            train.predict_missing(self.work / "models" / m / "final.pt", self.detection_jobs(m), self.s.threads)

    def submit(self):
        out = self.out
        for sub in ("det", "logs", "test", "data"):
            (out / sub).mkdir(parents=True, exist_ok=True)
        for f in sorted((self.work / "det").glob("*.json")):
            shutil.copyfile(f, out / "det" / f.name)
            lock.gzip_file(out / "det" / f.name)
        for m in settings.MODELS:
            shutil.copyfile(self.work / "models" / m / "log.csv", out / "logs" / f"{m}.csv")
        shutil.copyfile(self.target("test"), out / "test" / "real.json")
        shutil.copyfile(self.data("syn-test") / "annotations.json", out / "test" / "synthetic.json")
        train_dir = out / "data" / "train"
        if train_dir.exists():
            shutil.rmtree(train_dir)
        try:
            shutil.copytree(self.data("full"), train_dir, copy_function=os.link)
        except OSError:
            shutil.copytree(self.data("full"), train_dir)
        shutil.copyfile(RUBRIC_INTERVALS, out / "rubric-intervals.yaml")
        (out / "submission.yaml").write_text(submission_yaml(self.s))
        entries = {}
        for name, (config, frames, seed) in self.datasets().items():
            digest, count = lock.manifest_digest(self.data(name))
            entries[name] = {"config": config.read_text(), "generate": ["--frames", str(frames), "--seed", str(seed)],
                             "command": f"synthbench generate --config reference/configs/{config.name} --frames {frames} "
                                        f"--seed {seed} --out {name}",
                             "digest": digest, "files": count,
                             "rebuild": name in ("full", "syn-test"),
                             "used_as": {"full": "data/train", "syn-test": "test/synthetic.json"}.get(name, "")}
        t = json.loads((self.work / "target" / "digest.json").read_text())
        tdigest, tcount = t["digest"], t["files"]
        entries["target"] = {"command": "reference/run --stages target" if not self.target_dir else f"--target {self.target_dir}",
                             "digest": tdigest, "files": tcount, "rebuild": False,
                             "used_as": "test/real.json (test split)",
                             "note": "MuJoCo renders differ between GL back-ends; not rebuilt by regrade"}
        lock.write(out / "datasets.lock", entries)
        (out / "settings.json").write_text(json.dumps(self.s.as_dict(), indent=2, sort_keys=True) + "\n")
        grade(out)

    def report(self):
        from . import report
        times = json.loads(self.times_path.read_text()) if self.times_path.exists() else {}
        report.write(self.out, self.s, times, self.work)


def _cuda():
    try:
        import torch
        return torch.cuda.is_available()
    except ImportError:
        return False


def grade(out):
    """`synthbench grade` with the chapter-4 rubric (→ grade/) and with bootstrap intervals (→ grade-intervals/)."""
    codes = {}
    for sub, rubric in (("grade", None), ("grade-intervals", out / "rubric-intervals.yaml")):
        dst = out / sub
        if dst.exists():
            shutil.rmtree(dst)
        args = ["grade", out, "--out", dst, "--quiet"] + (["--rubric", rubric] if rubric else [])
        codes[sub] = tool.run(args, ok=(0, 1)).returncode
        say(f"grade: {sub} exit {codes[sub]}")
    return codes


def submission_yaml(s):
    return f"""# The reference submission of SynthBench's domain-gap experiment (reference/, results/reference/README.md).
# `real` is a sim-to-sim proxy: a MuJoCo-rendered work cell, not photographs.
student: SynthBench reference experiment ({s.name})
notes: "FCOS ResNet-18-FPN from scratch; real = MuJoCo work-cell proxy; see README.md"
exercises:
  lab1: {{candidate: full, baseline: none}}
  lab3: {{fine_tuned: finetuned, scratch: scratch}}
  ex2: {{candidate: full, light: light, none: none}}
  ex3: {{fine_tuned: finetuned, scratch: scratch}}
  ex4: {{model: full}}
  capstone: {{dataset: train, model: finetuned, fine_tuned: finetuned}}
datasets:
  train: data/train
test_sets:
  real: test/real.json
  synthetic: test/synthetic.json
models:
  none:
    randomization: none
    trained_on: synthetic
    pretrained_on: none
    detections: {{real: det/none-real.json, synthetic: det/none-synthetic.json}}
    training_log: logs/none.csv
  light:
    randomization: light
    trained_on: synthetic
    pretrained_on: none
    detections: {{real: det/light-real.json, synthetic: det/light-synthetic.json}}
    training_log: logs/light.csv
  full:
    randomization: full
    trained_on: synthetic
    pretrained_on: none
    dataset: train
    detections: {{real: det/full-real.json, synthetic: det/full-synthetic.json}}
    training_log: logs/full.csv
  scratch:
    trained_on: real
    pretrained_on: none
    detections: {{real: det/scratch-real.json}}
    training_log: logs/scratch.csv
  finetuned:
    randomization: full
    trained_on: real
    pretrained_on: full
    detections: {{real: det/finetuned-real.json}}
    training_log: logs/finetuned.csv
reported:
  ex4.frames_needed: {s.train_frames}
"""


def main(argv=None):
    ap = argparse.ArgumentParser(prog="reference/run", description=__doc__.split("\n\n")[0])
    sub = sys.argv[1:2] if argv is None else argv[:1]
    if sub == ["train-one"]:
        from . import train
        _, name, spec, out_dir = (sys.argv[1:] if argv is None else argv)
        spec = json.loads(spec)
        train.train(name, spec["train"], spec["val"], spec.get("other"), out_dir, spec["epochs"], spec["batch"],
                    spec["lr"], spec["warmup"], spec["seed"], init=spec.get("init"), threads=spec["threads"],
                    collapse_after=spec["collapse_after"])
        # the test-set detections while the process holds the GPU (the evaluate stage makes any missing)
        train.predict_missing(Path(out_dir) / "final.pt", spec.get("tests", {}), spec["threads"])
        return 0
    ap.add_argument("--smoke", action="store_true", help="tens of frames, a few training steps (CPU, CI)")
    ap.add_argument("--stages", default="all", help="comma-separated: " + ",".join(STAGES) + " (default all)")
    ap.add_argument("--work", help="datasets, checkpoints (default reference-work[-smoke]/ in the repository)")
    ap.add_argument("--out", help="the submission (default results/reference[-smoke])")
    ap.add_argument("--target", help="a COCO dataset directory (train.json, val.json, test.json) as the target domain")
    ap.add_argument("--parallel", type=int, default=0,
                    help="trainings at once (default: 4 on a GPU, 1 on the CPU)")
    args = ap.parse_args(argv)
    stages = STAGES if args.stages == "all" else args.stages.split(",")
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        say(f"reference/run: --stages: unknown stage {unknown[0]!r} (expected {', '.join(STAGES)})")
        return 2
    try:
        run = Run(args)
        for stage in stages:
            t = time.time()
            getattr(run, "target_stage" if stage == "target" else stage)()
            run.record(stage, time.time() - t)
            say(f"== {stage}: {time.time() - t:.1f} s")
    except tool.ToolError as e:
        say(f"reference/run: {e}")
        return e.code
    return 0


if __name__ == "__main__":
    sys.exit(main())
