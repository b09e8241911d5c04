"""Feeding SynthBench datasets (and any COCO dataset) to PyTorch.

`SynthBenchDataset(root)` reads a directory written by `synthbench generate` (docs/FORMATS.md): RGB frames,
boxes and labels from annotations.json, and optionally z-depth in metres and the instance masks from the PNGs.
`CocoDetection(annotations, image_root)` reads a plain COCO file (e.g. photos of the same objects).
Both return `(image, target)` as torchvision's detection models expect: `image` a float tensor 3×H×W in
[0, 1]; `target` with `boxes` (N×4, x0 y0 x1 y1, float32), `labels` (N, int64, COCO category ids),
`image_id`, `area`, `iscrowd`, and with the options `masks` (N×H×W bool) and `depth` (1×H×W float32, metres;
0 where no surface was hit).

`preload(dataset, threads)` decodes every image once into one uint8 tensor N×3×H×W (threads, not forked
workers) for training loops that keep the whole set in memory or on the GPU.
"""
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import torch
from PIL import Image


class CocoDetection(torch.utils.data.Dataset):
    """A COCO detection dataset: images in `image_root`, boxes from `annotations` (a COCO json file)."""

    def __init__(self, annotations, image_root=None):
        path = Path(annotations)
        self.coco = json.loads(path.read_text())
        self.root = Path(image_root) if image_root is not None else path.parent
        self.images = sorted(self.coco["images"], key=lambda im: im["id"])
        self.categories = {c["id"]: c["name"] for c in self.coco["categories"]}
        self.by_image = {im["id"]: [] for im in self.images}
        for a in self.coco["annotations"]:
            if a["image_id"] not in self.by_image:
                raise ValueError(f"{path}: annotation {a.get('id')} names unknown image_id {a['image_id']}")
            self.by_image[a["image_id"]].append(a)

    def __len__(self):
        return len(self.images)

    def image_path(self, i):
        p = (self.root / self.images[i]["file_name"]).resolve()
        if self.root.resolve() not in p.parents:
            raise ValueError(f"file_name {self.images[i]['file_name']!r} leaves {self.root}")
        return p

    def read_rgb(self, i):
        """The image as uint8 H×W×3."""
        with Image.open(self.image_path(i)) as im:
            return np.asarray(im.convert("RGB"))

    def target(self, i):
        im = self.images[i]
        anns = [a for a in self.by_image[im["id"]] if not a.get("iscrowd", 0)]
        boxes = torch.tensor([[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]]
                              for a in anns], dtype=torch.float32).reshape(-1, 4)
        return {"boxes": boxes,
                "labels": torch.tensor([a["category_id"] for a in anns], dtype=torch.int64),
                "image_id": im["id"],
                "area": torch.tensor([a.get("area", 0) for a in anns], dtype=torch.float32),
                "iscrowd": torch.zeros(len(anns), dtype=torch.int64)}

    def __getitem__(self, i):
        rgb = torch.from_numpy(self.read_rgb(i).copy()).permute(2, 0, 1).float() / 255.0
        return rgb, self.target(i)


class SynthBenchDataset(CocoDetection):
    """A `synthbench generate` dataset directory; `depth=True` and `masks=True` add those to the targets."""

    def __init__(self, root, depth=False, masks=False):
        root = Path(root)
        super().__init__(root / "annotations.json", root)
        manifest = json.loads((root / "manifest.json").read_text())
        self.depth_scale = float(manifest["depth"]["scale_to_m"])
        self.with_depth, self.with_masks = depth, masks

    def _png16(self, name):
        p = (self.root / name).resolve()
        if self.root.resolve() not in p.parents:
            raise ValueError(f"{name!r} leaves {self.root}")
        with Image.open(p) as im:
            return np.asarray(im, dtype=np.uint16) if im.mode != "I" else np.asarray(im).astype(np.uint16)

    def __getitem__(self, i):
        rgb, target = super().__getitem__(i)
        im = self.images[i]
        if self.with_depth:
            d = self._png16(im["depth_file"]).astype(np.float32) * self.depth_scale
            target["depth"] = torch.from_numpy(d)[None]
        if self.with_masks:
            mask = self._png16(im["mask_file"])
            anns = [a for a in self.by_image[im["id"]] if not a.get("iscrowd", 0)]
            ids = [a["attributes"]["instance_id"] for a in anns]
            target["masks"] = torch.from_numpy(np.stack([mask == k for k in ids]) if ids
                                               else np.zeros((0,) + mask.shape, bool))
        return rgb, target


def preload(dataset, threads=16):
    """Every image of `dataset` decoded once: uint8 tensor N×3×H×W, plus the list of targets."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        arrays = list(pool.map(dataset.read_rgb, range(len(dataset))))
    images = torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).contiguous()
    return images, [dataset.target(i) for i in range(len(dataset))]


def collate(batch):
    return tuple(zip(*batch))
