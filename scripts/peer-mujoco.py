#!/usr/bin/env python3
"""MuJoCo peer of `synthbench generate` on the same scene workload, for throughput comparisons.

usage: python scripts/peer-mujoco.py --frames N --workers W --out DIR [--width 640 --height 480] [--seed S]

Each frame is one shot of the MuJoCo work cell of reference/synthref/target.py (its `scene` builder, imported, at
--width × --height): 1–6 target objects (box, sphere, cylinder, capsule) and 0–3 unannotated distractors dropped
on a floor and settled by MuJoCo's physics (700 steps of 2 ms, as target.render_shot), three ceiling lights (two
casting shadows), rendered by MuJoCo's OpenGL renderer (MUJOCO_GL, default osmesa: on the CPU). No sensor noise.
Per frame, two render passes with one MjrContext: the lit image (RGB), then the segmentation pass (object ids
and the depth buffer). Written with Pillow (zlib level 1), in synthbench's layout (docs/FORMATS.md):

  rgb/rgb_000000.png      8-bit RGB
  depth/depth_000000.png  16-bit gray, z-depth in millimetres, 0 = no hit
  mask/mask_000000.png    16-bit gray, 0 = background, 1..N = target objects, 1001+ = distractors
  annotations.json        COCO: bbox and area of each visible target object (from the mask), no segmentation

Frames are spread over W worker processes (spawn context). Every frame is a pure function of (seed, index).

Prints one JSON line on stdout. `seconds` is the wall time from just before the worker pool is created to after
annotations.json is written: the workers' start-up (interpreter, imports of numpy, mujoco and Pillow, their GL
contexts) is included, the parent's own imports are not. `ms_per_frame_render` (scene, physics, GL contexts of
the shot, both passes, read-back, depth/mask/box conversion) and `ms_per_frame_encode` (PNG encode and file
write of the three images) are wall times inside the workers, summed over workers, per frame.
"""
import os

os.environ.setdefault("MUJOCO_GL", "osmesa")

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import mujoco
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "reference"))
from synthref import target  # noqa: E402

SETTLE_STEPS = 700  # physics steps before the shot, as target.render_shot
DISTRACTOR_BASE = 1001  # mask value of the first distractor, as synthbench's unannotated obstacles

_job = {}  # per worker: seed, output directory


def _init_worker(seed, out, width, height):
    """Worker set-up: the frame size of the shared scene builder and this process' GL context."""
    target.WIDTH, target.HEIGHT = width, height
    _job.update(seed=seed, out=Path(out))
    target._gl()


def render_frame(seed, index):
    """Frame `index`: (uint8 H×W×3 RGB, uint16 H×W depth in mm, uint16 H×W mask, [(instance, category, bbox, area)])."""
    width, height = target.WIDTH, target.HEIGHT
    xml, targets = target.scene(seed, index)
    model = mujoco.MjModel.from_xml_string(xml)
    data = mujoco.MjData(model)
    for _ in range(SETTLE_STEPS):
        mujoco.mj_step(model, data)

    # Mask value of every geom: targets 1..N in the builder's order, distractors 1001+, the rest (floor, walls) 0.
    instance_of_geom = np.zeros(model.ngeom, dtype=np.uint16)
    categories = {}
    for k, (name, cat) in enumerate(targets):
        instance_of_geom[mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_GEOM, name)] = k + 1
        categories[k + 1] = cat
    for g in range(model.ngeom):
        name = mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_GEOM, g) or ""
        if name.startswith("dis"):
            instance_of_geom[g] = DISTRACTOR_BASE + int(name[3:])

    target._gl()
    con = mujoco.MjrContext(model, mujoco.mjtFontScale.mjFONTSCALE_150)
    try:
        mujoco.mjr_setBuffer(mujoco.mjtFramebuffer.mjFB_OFFSCREEN, con)
        con.readDepthMap = mujoco.mjtDepthMap.mjDEPTH_ZEROFAR
        scn = mujoco.MjvScene(model, maxgeom=200)
        cam = mujoco.MjvCamera()
        cam.type = mujoco.mjtCamera.mjCAMERA_FIXED
        cam.fixedcamid = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_CAMERA, "cam")
        mujoco.mjv_updateScene(model, data, mujoco.MjvOption(), None, cam, mujoco.mjtCatBit.mjCAT_ALL, scn)
        rect = mujoco.MjrRect(0, 0, width, height)

        rgb = np.empty((height, width, 3), dtype=np.uint8)
        mujoco.mjr_render(rect, scn, con)
        mujoco.mjr_readPixels(rgb, None, rect, con)

        scn.flags[mujoco.mjtRndFlag.mjRND_SEGMENT] = True
        scn.flags[mujoco.mjtRndFlag.mjRND_IDCOLOR] = True
        ids = np.empty((height, width, 3), dtype=np.uint8)
        zbuf = np.empty((height, width), dtype=np.float32)
        mujoco.mjr_render(rect, scn, con)
        mujoco.mjr_readPixels(ids, zbuf, rect, con)

        # Segmentation colour → scene geom (segid + 1, 0 = nothing) → mask value.
        table = np.zeros(scn.ngeom + 1, dtype=np.uint16)
        geom_type = int(mujoco.mjtObj.mjOBJ_GEOM)
        for g in scn.geoms[:scn.ngeom]:
            if g.segid != -1 and g.objtype == geom_type and g.objid >= 0:
                table[g.segid + 1] = instance_of_geom[g.objid]
    finally:
        con.free()

    # The GL buffers are bottom-up.
    rgb = np.ascontiguousarray(rgb[::-1])
    ids, zbuf = ids[::-1], zbuf[::-1]
    seg = ids[..., 0].astype(np.uint32) | (ids[..., 1].astype(np.uint32) << 8) | (ids[..., 2].astype(np.uint32) << 16)
    np.minimum(seg, scn.ngeom, out=seg)
    mask = table[seg]

    # Reversed-Z depth buffer (0 = far plane, no hit) → z-depth in millimetres, as mujoco.Renderer's depth mode.
    extent = model.stat.extent
    znear, zfar = np.float32(model.vis.map.znear * extent), np.float32(model.vis.map.zfar * extent)
    c = np.float32(-0.5) * (-(zfar + znear) / (zfar - znear)) - np.float32(0.5)
    d = np.float32(-0.5) * (-(np.float32(2) * zfar * znear) / (zfar - znear))
    z = zbuf.astype(np.float64)
    z += c
    np.divide(d * 1000.0, z, out=z)
    np.rint(z, out=z)
    np.clip(z, 1, 65535, out=z)
    depth = z.astype(np.uint16)
    depth[zbuf <= 0] = 0

    # COCO box and area of each visible target object.
    counts = np.bincount(mask.ravel(), minlength=len(targets) + 1)
    objs = []
    for k in range(1, len(targets) + 1):
        if counts[k] == 0:
            continue
        m = mask == k
        rows, cols = np.flatnonzero(m.any(axis=1)), np.flatnonzero(m.any(axis=0))
        x0, y0, x1, y1 = int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1
        objs.append((k, categories[k], [x0, y0, x1 - x0, y1 - y0], int(counts[k])))
    return rgb, depth, mask, objs


def _frame_job(index):
    """Renders and writes frame `index` in a worker: (index, objects, render seconds, encode seconds)."""
    t0 = time.perf_counter()
    rgb, depth, mask, objs = render_frame(_job["seed"], index)
    t1 = time.perf_counter()
    out = _job["out"]
    Image.fromarray(rgb).save(out / "rgb" / f"rgb_{index:06d}.png", compress_level=1)
    Image.fromarray(depth).save(out / "depth" / f"depth_{index:06d}.png", compress_level=1)
    Image.fromarray(mask).save(out / "mask" / f"mask_{index:06d}.png", compress_level=1)
    t2 = time.perf_counter()
    return index, objs, t1 - t0, t2 - t1


def _coco(results, width, height):
    images, anns = [], []
    for i in sorted(results):
        images.append({"id": i + 1, "file_name": f"rgb/rgb_{i:06d}.png", "width": width, "height": height,
                       "depth_file": f"depth/depth_{i:06d}.png", "mask_file": f"mask/mask_{i:06d}.png"})
        for inst, cat, box, area in results[i]:
            anns.append({"id": i * 64 + inst, "image_id": i + 1, "category_id": cat, "bbox": box, "area": area,
                         "iscrowd": 0, "attributes": {"instance_id": inst}})
    return {"info": {"description": "MuJoCo work cell (scripts/peer-mujoco.py)", "version": "1"},
            "licenses": [], "categories": target.CATEGORIES, "images": images, "annotations": anns}


def main():
    ap = argparse.ArgumentParser(description="MuJoCo peer of synthbench generate (RGB, depth, mask PNGs, COCO).")
    ap.add_argument("--frames", type=int, required=True)
    ap.add_argument("--workers", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--width", type=int, default=640)
    ap.add_argument("--height", type=int, default=480)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.frames <= 0 or args.workers <= 0 or args.width <= 0 or args.height <= 0:
        ap.error("--frames, --workers, --width and --height must be > 0")
    out = Path(args.out)
    for sub in ("rgb", "depth", "mask"):
        (out / sub).mkdir(parents=True, exist_ok=True)

    # Small chunks keep the workers' loads even to the last frames.
    chunk = max(1, min(4, args.frames // (8 * args.workers)))
    results, render_s, encode_s = {}, 0.0, 0.0
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers, mp_context=get_context("spawn"), initializer=_init_worker,
                             initargs=(args.seed, str(out), args.width, args.height)) as pool:
        for index, objs, r, e in pool.map(_frame_job, range(args.frames), chunksize=chunk):
            results[index] = objs
            render_s += r
            encode_s += e
    tmp = out / "annotations.json.partial"
    tmp.write_text(json.dumps(_coco(results, args.width, args.height)))
    tmp.replace(out / "annotations.json")
    seconds = time.perf_counter() - start

    print(json.dumps({
        "tool": "mujoco", "mujoco_version": mujoco.__version__, "gl": os.environ.get("MUJOCO_GL"),
        "width": args.width, "height": args.height, "frames": args.frames, "workers": args.workers,
        "seconds": seconds, "frames_per_second": args.frames / seconds,
        "frames_per_hour": args.frames / seconds * 3600,
        "ms_per_frame_render": render_s / args.frames * 1000, "ms_per_frame_encode": encode_s / args.frames * 1000,
        "annotations": sum(len(v) for v in results.values()),
        "timing": "seconds: pool start-up (worker imports, GL contexts) to annotations.json written, parent imports "
                  "excluded; ms_per_frame_*: worker wall time summed over workers",
    }))


if __name__ == "__main__":
    main()
