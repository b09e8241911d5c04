"""`reference/run --smoke` end to end on the CPU: every stage, a graded submission (thresholds fail, the input
is well-formed), and `reference/regrade` reproducing it, or catching what was changed."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from synthref import lock

pytest.importorskip("mujoco")
REF = Path(__file__).resolve().parents[1]


def run(cmd, **kw):
    env = dict(os.environ, REFERENCE_PYTHON=sys.executable, MUJOCO_GL=os.environ.get("MUJOCO_GL", "osmesa"))
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, **kw)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    """The smoke run's submission; REFERENCE_SMOKE_OUT names an existing one instead (a quicker developer loop)."""
    if os.environ.get("REFERENCE_SMOKE_OUT"):
        return Path(os.environ["REFERENCE_SMOKE_OUT"])
    base = tmp_path_factory.mktemp("smoke")
    out, work = base / "out", base / "work"
    p = run([REF / "run", "--smoke", "--work", work, "--out", out])
    assert p.returncode == 0, p.stdout + p.stderr[-4000:]
    return out


def test_every_stage_left_its_artifacts(smoke):
    for f in ["submission.yaml", "datasets.lock", "README.md", "curves.png", "stages.json", "settings.json",
              "grade/report.md", "grade/report.json", "grade/junit.xml", "grade-intervals/report.json",
              "test/real.json", "test/synthetic.json"]:
        assert (smoke / f).is_file(), f
    for m in ["none", "light", "full", "scratch", "finetuned"]:
        rows = (smoke / "logs" / f"{m}.csv").read_text().splitlines()
        assert rows[0].startswith("epoch,wall_seconds,images_seen,metric") and len(rows) == 3
        assert (smoke / "det" / f"{m}-real.json").is_file() and (smoke / "det" / f"{m}-real.json.gz").is_file()
    stages = json.loads((smoke / "stages.json").read_text())
    assert {"generate", "target", "train", "evaluate", "submit"} <= set(stages)


def test_the_submission_is_graded_not_malformed(smoke):
    report = json.loads((smoke / "grade" / "report.json").read_text())
    assert report["status"] == "graded"
    assert report["exit_code"] == 1  # a few training steps pass no threshold
    checks = {c["id"]: c for c in report["checks"]}
    for cid in ["lab1.gain", "ex2.full_better", "ex3.speedup", "ex3.accuracy_loss", "ex4.gap", "capstone.accuracy"]:
        assert checks[cid]["computed"] is not None, cid
    assert checks["capstone.transfer"]["verdict"] == "pass"
    intervals = {c["id"]: c for c in json.loads((smoke / "grade-intervals" / "report.json").read_text())["checks"]}
    st = intervals["lab1.gain"]["statistics"]
    assert st["low"] <= intervals["lab1.gain"]["computed"] <= st["high"]


def test_regrade_reproduces_a_copy_elsewhere(smoke, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(smoke, copy, ignore=shutil.ignore_patterns("data"))
    p = run([REF / "regrade", copy])
    assert p.returncode == 0, p.stdout + p.stderr
    assert "reproduced" in p.stdout


@pytest.mark.parametrize("tamper", ["digest", "detections", "report", "ground-truth"])
def test_regrade_catches_a_change(smoke, tmp_path, tamper):
    copy = tmp_path / "copy"
    shutil.copytree(smoke, copy, ignore=shutil.ignore_patterns("data"))
    if tamper == "digest":
        doc = json.loads((copy / "datasets.lock").read_text())
        d = doc["datasets"]["full"]["digest"]
        doc["datasets"]["full"]["digest"] = ("0" if d[0] != "0" else "1") + d[1:]
        (copy / "datasets.lock").write_text(json.dumps(doc))
    elif tamper == "detections":
        # a perfect detector in place of `scratch`: its accuracy becomes 100 whatever it was
        gt = json.loads((copy / "test" / "real.json").read_text())
        dets = [{"image_id": a["image_id"], "category_id": a["category_id"], "bbox": a["bbox"], "score": 1.0}
                for a in gt["annotations"]]
        (copy / "det" / "scratch-real.json").write_text(json.dumps(dets))
        lock.gzip_file(copy / "det" / "scratch-real.json")
    elif tamper == "report":
        r = json.loads((copy / "grade" / "report.json").read_text())
        r["summary"]["passed"] = r["summary"].get("passed", 0) + 1
        (copy / "grade" / "report.json").write_text(json.dumps(r))
    else:
        gt = json.loads((copy / "test" / "synthetic.json").read_text())
        gt["annotations"] = gt["annotations"][1:]
        (copy / "test" / "synthetic.json").write_text(json.dumps(gt))
    p = run([REF / "regrade", copy])
    assert p.returncode == 1, p.stdout + p.stderr
    assert "differs" in p.stdout


def test_regrade_bad_input_is_exit_2(tmp_path):
    p = run([REF / "regrade", tmp_path])
    assert p.returncode == 2
    assert "datasets.lock" in p.stderr
