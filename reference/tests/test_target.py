"""The MuJoCo target domain: deterministic shots, COCO that `synthbench validate` accepts, boxes that fit."""
import json
import os
import subprocess

import numpy as np
import pytest

mujoco = pytest.importorskip("mujoco")
os.environ.setdefault("MUJOCO_GL", "osmesa")

from synthref import target  # noqa: E402


def test_scene_is_a_pure_function_of_seed_and_index():
    assert target.scene(11, 3) == target.scene(11, 3)
    assert target.scene(11, 3) != target.scene(11, 4)
    a, objs_a = target.render_shot(11, 3)
    b, objs_b = target.render_shot(11, 3)
    assert np.array_equal(a, b) and objs_a == objs_b
    assert a.shape == (target.HEIGHT, target.WIDTH, 3)


def test_boxes_lie_in_the_image_and_areas_fit_them():
    seen = 0
    for i in range(6):
        _, objs = target.render_shot(5, i)
        for cat, (x, y, w, h), area in objs:
            assert cat in (1, 2, 3, 4)
            assert 0 <= x and 0 <= y and x + w <= target.WIDTH and y + h <= target.HEIGHT
            assert target.MIN_VISIBLE <= area <= w * h
            seen += 1
    assert seen > 0


def test_built_target_validates_with_synthbench(tmp_path, synthbench):
    sizes = {"train": 6, "finetune": 2, "val": 2, "test": 2}
    target.build(tmp_path, 9, sizes, workers=2)
    for split, n in (("train", 6), ("finetune", 2), ("val", 2), ("test", 2)):
        gt = tmp_path / f"{split}.json"
        coco = json.loads(gt.read_text())
        assert len(coco["images"]) == n
        p = subprocess.run([synthbench, "validate", gt, "--images", tmp_path, "--json"], capture_output=True, text=True)
        assert p.returncode == 0, p.stdout + p.stderr
    train = {im["id"] for im in json.loads((tmp_path / "train.json").read_text())["images"]}
    test = {im["id"] for im in json.loads((tmp_path / "test.json").read_text())["images"]}
    finetune = {im["id"] for im in json.loads((tmp_path / "finetune.json").read_text())["images"]}
    assert not (train & test) and finetune <= train


def test_a_users_coco_dataset_can_replace_the_target(tmp_path, synthbench):
    """`reference/run --stages target --target DIR`: a COCO set with train/val/test (finetune taken from train)."""
    import os
    import sys
    from pathlib import Path
    users = tmp_path / "photos"
    target.build(users, 3, {"train": 4, "finetune": 1, "val": 1, "test": 1}, workers=1)
    (users / "finetune.json").unlink()
    work = tmp_path / "work"
    ref = Path(__file__).resolve().parents[1]
    env = dict(os.environ, REFERENCE_PYTHON=sys.executable)
    p = subprocess.run([ref / "run", "--smoke", "--stages", "target", "--target", users, "--work", work],
                       capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    finetune = json.loads((work / "target" / "finetune.json").read_text())
    assert len(finetune["images"]) == 4  # the smoke settings' finetune size, capped by the 4 train images
    for im in finetune["images"]:
        assert Path(im["file_name"]).is_file() and str(users) in im["file_name"]
    assert (work / "target" / "digest.json").is_file()
    (users / "val.json").unlink()
    p = subprocess.run([ref / "run", "--smoke", "--stages", "target", "--target", users, "--work", tmp_path / "w2"],
                       capture_output=True, text=True, env=env)
    assert p.returncode == 2 and "val.json is missing" in p.stderr
