"""The target domain: a sim-to-sim proxy for real photographs, rendered by MuJoCo (not by SynthBench).

No real photographs can be downloaded where this runs, so the "real world" of the experiment is another
renderer: MuJoCo's own physics, lighting, materials and shadows, in one fixed setting chosen before any result
was seen (docs in results/reference/README.md, "Target domain"):

* an industrial work cell: a speckled grey epoxy floor, a light grey back wall and a dark side wall;
* a fixed robot camera 2.2 m from the cell centre, 42° above the floor, 60° horizontal field of view, 320×240;
* three ceiling lights with shadows, intensity varying ±15 % between shots (exposure);
* 1–6 target objects per shot, categories box, sphere, cylinder, capsule (SynthBench's four, at its physical
  sizes: base sizes × a scale drawn from 0.5–2.0 per object), in industrial paint colours (matte or glossy),
  dropped with random poses into a 1.4 × 1.0 m area and left to settle (MuJoCo's contact physics);
* 0–3 unannotated distractors (ellipsoids and flat plates), as SynthBench has unannotated obstacles;
* a sensor: slight vignetting, Gaussian read noise σ = 2 % plus shot noise, 8-bit sRGB PNG.

Annotations are COCO: boxes and areas from MuJoCo's segmentation render (the visible pixels of each object);
an object with fewer than 16 visible pixels is not annotated. Category ids are SynthBench's (box 1, sphere 2,
cylinder 3, capsule 4). Every shot is a pure function of (seed, index): the same whatever the worker count.
"""
import atexit
import functools
import json
import math
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

CATEGORIES = [{"id": 1, "name": "box", "supercategory": "object"},
              {"id": 2, "name": "sphere", "supercategory": "object"},
              {"id": 3, "name": "cylinder", "supercategory": "object"},
              {"id": 4, "name": "capsule", "supercategory": "object"}]
WIDTH, HEIGHT = 320, 240
MIN_VISIBLE = 16
PALETTE = [(0.85, 0.55, 0.10), (0.80, 0.15, 0.12), (0.10, 0.35, 0.70), (0.15, 0.55, 0.25),
           (0.90, 0.85, 0.20), (0.35, 0.35, 0.38), (0.92, 0.92, 0.90), (0.10, 0.10, 0.12),
           (0.55, 0.30, 0.15), (0.40, 0.60, 0.75)]
CAMERA_DISTANCE, CAMERA_ELEVATION, HFOV = 2.2, 42.0, 60.0


def _geom(category, scale):
    """MuJoCo geom type and size (half extents / radius, half length) of a SynthBench category."""
    if category == "box":
        return "box", (0.12 * scale, 0.08 * scale, 0.06 * scale)
    if category == "sphere":
        return "sphere", (0.09 * scale,)
    if category == "cylinder":
        return "cylinder", (0.07 * scale, 0.10 * scale)
    return "capsule", (0.055 * scale, 0.08 * scale)


def _quat(rng):
    q = rng.normal(size=4)
    return q / np.linalg.norm(q)


def _camera_xml():
    e = math.radians(CAMERA_ELEVATION)
    pos = np.array([0.0, -CAMERA_DISTANCE * math.cos(e), CAMERA_DISTANCE * math.sin(e) + 0.1])
    forward = np.array([0.0, 0.0, 0.1]) - pos
    forward /= np.linalg.norm(forward)
    right = np.cross(forward, [0.0, 0.0, 1.0])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    fovy = math.degrees(2 * math.atan(math.tan(math.radians(HFOV / 2)) * HEIGHT / WIDTH))
    f = lambda v: " ".join(f"{x:.6f}" for x in v)
    return f'<camera name="cam" pos="{f(pos)}" xyaxes="{f(right)} {f(up)}" fovy="{fovy:.4f}"/>'


def scene(seed, index):
    """The MJCF text of shot `index` and the list of (geom name, category id) of its target objects."""
    rng = np.random.default_rng([seed, index])
    n = int(rng.integers(1, 7))
    exposure = float(rng.uniform(0.85, 1.15))
    bodies, targets = [], []
    z = 0.25
    for i in range(n):
        cat = int(rng.integers(0, 4))
        kind, size = _geom(CATEGORIES[cat]["name"], float(rng.uniform(0.5, 2.0)))
        color = np.clip(np.array(PALETTE[int(rng.integers(len(PALETTE)))]) + rng.normal(0, 0.04, 3), 0, 1)
        glossy = rng.random() < 0.4
        x, y = rng.uniform(-0.7, 0.7), rng.uniform(-0.5, 0.5)
        name = f"obj{i}"
        bodies.append(
            f'<body pos="{x:.4f} {y:.4f} {z:.4f}" quat="{" ".join(f"{q:.5f}" for q in _quat(rng))}">'
            f'<freejoint/><geom name="{name}" type="{kind}" size="{" ".join(f"{s:.4f}" for s in size)}" '
            f'rgba="{color[0]:.3f} {color[1]:.3f} {color[2]:.3f} 1" density="500" '
            f'material="{"gloss" if glossy else "matte"}"/></body>')
        targets.append((name, cat + 1))
        z += 2 * max(size) + 0.08
    for j in range(int(rng.integers(0, 4))):
        x, y = rng.uniform(-0.9, 0.9), rng.uniform(-0.6, 0.6)
        if rng.random() < 0.5:
            geom = f'type="ellipsoid" size="{rng.uniform(0.05, 0.15):.3f} {rng.uniform(0.04, 0.1):.3f} {rng.uniform(0.03, 0.08):.3f}"'
        else:
            geom = f'type="box" size="{rng.uniform(0.1, 0.25):.3f} {rng.uniform(0.1, 0.25):.3f} 0.012"'
        c = rng.uniform(0.2, 0.7)
        bodies.append(f'<body pos="{x:.4f} {y:.4f} {z:.4f}" quat="{" ".join(f"{q:.5f}" for q in _quat(rng))}">'
                      f'<freejoint/><geom name="dis{j}" {geom} rgba="{c:.3f} {c * 0.95:.3f} {c * 0.9:.3f} 1" '
                      f'density="300" material="matte"/></body>')
        z += 0.3
    lights = "".join(
        f'<light pos="{lx} {ly} 2.6" dir="{-lx * 0.2} {-ly * 0.2} -1" diffuse="{d * exposure:.3f} {d * exposure:.3f} '
        f'{d * exposure * 0.95:.3f}" specular="0.2 0.2 0.2" castshadow="{"true" if cast else "false"}"/>'
        for lx, ly, d, cast in ((-0.8, 0.3, 0.45, True), (0.8, 0.3, 0.35, True), (0.0, -1.2, 0.25, False)))
    xml = f"""<mujoco model="workcell">
  <option timestep="0.002" gravity="0 0 -9.81"/>
  <visual><global offwidth="{WIDTH}" offheight="{HEIGHT}"/><quality shadowsize="2048"/>
    <headlight ambient="0.25 0.25 0.25" diffuse="0.15 0.15 0.15" specular="0 0 0"/></visual>
  <asset>
    <texture name="epoxy" type="2d" builtin="flat" rgb1="0.52 0.54 0.55" rgb2="0.3 0.3 0.3" mark="random"
             random="0.08" markrgb="0.7 0.7 0.72" width="512" height="512"/>
    <material name="floor" texture="epoxy" texrepeat="4 4" specular="0.3" shininess="0.3" reflectance="0.05"/>
    <material name="wall" rgba="0.78 0.78 0.76 1" specular="0.05"/>
    <material name="side" rgba="0.25 0.27 0.3 1" specular="0.05"/>
    <material name="matte" specular="0.1" shininess="0.1"/>
    <material name="gloss" specular="0.7" shininess="0.8" reflectance="0.1"/>
  </asset>
  <worldbody>
    {lights}
    <geom name="floor" type="plane" size="4 4 0.1" material="floor"/>
    <geom name="backwall" type="box" pos="0 1.6 1.0" size="4 0.05 1.0" material="wall"/>
    <geom name="sidewall" type="box" pos="2.2 0 1.0" size="0.05 4 1.0" material="side"/>
    {_camera_xml()}
    {"".join(bodies)}
  </worldbody>
</mujoco>"""
    return xml, targets


@functools.cache
def _vignette():
    """Per-pixel gain of the lens' vignetting (H×W×1), the same for every shot."""
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    r2 = ((xx - WIDTH / 2) / (WIDTH / 2)) ** 2 + ((yy - HEIGHT / 2) / (HEIGHT / 2)) ** 2
    return (1.0 - 0.18 * r2 / 2.0)[..., None]


def _sensor(rgb, rng):
    """Vignetting, shot and read noise, 8-bit quantisation (on linear-ish [0, 1] values)."""
    x = rgb.astype(np.float32) / 255.0
    x *= _vignette()
    x += rng.normal(0, 1, x.shape).astype(np.float32) * np.sqrt(0.02 ** 2 + 0.01 * x)
    return np.clip(np.rint(x * 255.0), 0, 255).astype(np.uint8)


_GL = None


def _gl():
    """One GL context per process (EGL on a GPU, OSMesa on a CPU: `MUJOCO_GL`), made current once."""
    global _GL
    if _GL is None:
        import mujoco
        _GL = mujoco.GLContext(WIDTH, HEIGHT)
        _GL.make_current()
        atexit.register(_free_gl)
    return _GL


def _free_gl():
    global _GL
    if _GL is not None:
        _GL.free()
        _GL = None


def _draw(model, data, segment):
    """RGB (uint8 H×W×3) or segmentation (int32 H×W×2: object id, object type; -1 for none) of camera `cam`."""
    import mujoco
    _gl()
    con = mujoco.MjrContext(model, mujoco.mjtFontScale.mjFONTSCALE_150)
    try:
        mujoco.mjr_setBuffer(mujoco.mjtFramebuffer.mjFB_OFFSCREEN, con)
        scene = mujoco.MjvScene(model, maxgeom=200)
        cam = mujoco.MjvCamera()
        cam.type = mujoco.mjtCamera.mjCAMERA_FIXED
        cam.fixedcamid = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_CAMERA, "cam")
        mujoco.mjv_updateScene(model, data, mujoco.MjvOption(), None, cam, mujoco.mjtCatBit.mjCAT_ALL, scene)
        scene.flags[mujoco.mjtRndFlag.mjRND_SEGMENT] = segment
        scene.flags[mujoco.mjtRndFlag.mjRND_IDCOLOR] = segment
        rect = mujoco.MjrRect(0, 0, WIDTH, HEIGHT)
        mujoco.mjr_render(rect, scene, con)
        rgb = np.empty((HEIGHT, WIDTH, 3), dtype=np.uint8)
        mujoco.mjr_readPixels(rgb, None, rect, con)
        rgb = np.flipud(rgb)
        if not segment:
            return rgb
        ids = rgb[..., 0].astype(np.int64) + rgb[..., 1].astype(np.int64) * 256 + rgb[..., 2].astype(np.int64) * 65536
        table = np.full((scene.ngeom + 1, 2), -1, dtype=np.int32)
        for g in scene.geoms[:scene.ngeom]:
            if g.segid != -1:
                table[g.segid + 1] = (g.objid, g.objtype)
        return table[np.clip(ids, 0, scene.ngeom)]
    finally:
        con.free()


def render_shot(seed, index):
    """Renders shot `index`: (uint8 H×W×3 image, [(category id, [x, y, w, h], area)])."""
    import mujoco
    xml, targets = scene(seed, index)
    model = mujoco.MjModel.from_xml_string(xml)
    data = mujoco.MjData(model)
    for _ in range(700):
        mujoco.mj_step(model, data)
    rgb = _draw(model, data, False)
    seg = _draw(model, data, True)
    objs = []
    geom_type = int(mujoco.mjtObj.mjOBJ_GEOM)
    for name, cat in targets:
        gid = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_GEOM, name)
        m = (seg[..., 0] == gid) & (seg[..., 1] == geom_type)
        area = int(m.sum())
        if area < MIN_VISIBLE:
            continue
        ys, xs = np.nonzero(m)
        x0, y0, x1, y1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
        objs.append((cat, [x0, y0, x1 - x0, y1 - y0], area))
    rng = np.random.default_rng([seed, index, 1])
    return _sensor(rgb, rng), objs


def _render_range(args):
    seed, indices, image_dir = args
    from PIL import Image
    out = []
    for i in indices:
        img, objs = render_shot(seed, i)
        Image.fromarray(img).save(Path(image_dir) / f"{i:06d}.png", compress_level=1)
        out.append((i, objs))
    return out


def _coco(indices, results, split):
    images, anns = [], []
    for i in indices:
        images.append({"id": i + 1, "file_name": f"images/{i:06d}.png", "width": WIDTH, "height": HEIGHT})
        for k, (cat, box, area) in enumerate(results[i]):
            anns.append({"id": (i + 1) * 16 + k, "image_id": i + 1, "category_id": cat, "bbox": box,
                         "area": area, "iscrowd": 0})
    return {"info": {"description": f"MuJoCo work-cell target domain (sim-to-sim proxy for real photos), {split}",
                     "version": "1"},
            "licenses": [], "categories": CATEGORIES, "images": images, "annotations": anns}


def splits(sizes):
    """Index ranges of the splits: train, finetune (the first `finetune` shots of train), val, test."""
    train, finetune, val, test = sizes["train"], sizes["finetune"], sizes["val"], sizes["test"]
    return {"train": range(0, train), "finetune": range(0, finetune),
            "val": range(train, train + val), "test": range(train + val, train + val + test)}


def build(out, seed, sizes, workers=None, log=sys.stderr):
    """Renders the target domain into `out` (images/, train.json, finetune.json, val.json, test.json)."""
    out = Path(out)
    parts = splits(sizes)
    total = parts["test"].stop
    (out / "images").mkdir(parents=True, exist_ok=True)
    workers = workers or min(16, os.cpu_count() or 1)
    chunks = [list(range(s, min(total, s + 64))) for s in range(0, total, 64)]
    results = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        for done in pool.map(_render_range, [(seed, c, str(out / "images")) for c in chunks]):
            for i, objs in done:
                results[i] = objs
    for split, idx in parts.items():
        tmp = out / f"{split}.json.partial"
        tmp.write_text(json.dumps(_coco(idx, results, split)))
        tmp.replace(out / f"{split}.json")
    print(f"target: {total} shots, {sum(len(v) for v in results.values())} objects -> {out}", file=log)
    return out
