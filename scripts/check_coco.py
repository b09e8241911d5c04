#!/usr/bin/env python3
"""Checks a SynthBench dataset with pycocotools: the COCO file loads, and every annotation's RLE mask,
bbox and area agree with the instance-mask PNG. Exit 0 when all agree, 1 on a disagreement."""
import json
import struct
import sys
import zlib

import numpy as np
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO


def read_png(path):
    """Minimal PNG reader (8/16-bit gray or RGB, non-interlaced), enough for SynthBench's files."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat = 8, b""
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert interlace == 0 and ctype in (0, 2)
        elif kind == b"IDAT":
            idat += body
    channels = 3 if ctype == 2 else 1
    bpp = channels * depth // 8
    stride = w * bpp
    raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(h, stride + 1)
    out = np.zeros((h, stride), np.uint8)
    prev = np.zeros(stride, np.int64)
    for y in range(h):
        f, line = raw[y, 0], raw[y, 1:].astype(np.int64)
        if f == 0:
            cur = line
        elif f == 1:
            cur = np.cumsum(line.reshape(w, bpp), axis=0).reshape(-1) % 256
        elif f == 2:
            cur = (line + prev) % 256
        else:
            cur = np.zeros(stride, np.int64)
            for i in range(stride):
                a = cur[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                if f == 3:
                    cur[i] = (line[i] + (a + b) // 2) % 256
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                    cur[i] = (line[i] + pred) % 256
        out[y] = cur
        prev = cur
    if depth == 16:
        return out.view(">u2").reshape(h, w)
    return out.reshape(h, w, channels) if channels > 1 else out.reshape(h, w)


def main(directory):
    coco = COCO(f"{directory}/annotations.json")
    problems = 0
    checked = 0
    for image in coco.dataset["images"]:
        ids = read_png(f"{directory}/{image['mask_file']}")
        assert ids.shape == (image["height"], image["width"]), (image["file_name"], ids.shape)
        rgb = read_png(f"{directory}/{image['file_name']}")
        assert rgb.shape[:2] == (image["height"], image["width"]), (image["file_name"], rgb.shape)
        anns = coco.loadAnns(coco.getAnnIds(imgIds=[image["id"]]))
        seen = set()
        for ann in anns:
            inst = ann["attributes"]["instance_id"]
            seen.add(inst)
            truth = (ids == inst).astype(np.uint8)
            decoded = coco.annToMask(ann)
            ys, xs = np.nonzero(truth)
            bbox = [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]
            ok = (np.array_equal(decoded, truth) and ann["area"] == int(truth.sum()) and ann["bbox"] == bbox
                  and float(mask_utils.area(ann["segmentation"])) == ann["area"]
                  and [int(v) for v in mask_utils.toBbox(ann["segmentation"])] == bbox)
            if not ok:
                problems += 1
                print(f"mismatch: image {image['id']} annotation {ann['id']}", file=sys.stderr)
            checked += 1
        # Every visible annotated instance (ids 1..999) has an annotation.
        visible = {int(v) for v in np.unique(ids) if 0 < v < 1000}
        if visible != seen:
            problems += 1
            print(f"image {image['id']}: instances in mask {sorted(visible)} vs annotated {sorted(seen)}", file=sys.stderr)
    print(json.dumps({"images": len(coco.dataset["images"]), "annotations": checked, "problems": problems}))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
