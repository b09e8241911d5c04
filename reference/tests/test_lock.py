"""datasets.lock: the digest is a function of the dataset's content, and a changed manifest is caught."""
import json
import shutil
import subprocess

import pytest

from synthref import lock


def test_digest_is_content_only_and_stable_across_lanes(small_dataset, synthbench, tmp_path):
    d1, n1 = lock.manifest_digest(small_dataset)
    cfg = tmp_path / "small.yaml"
    cfg.write_text("preset: full\nimage: {width: 96, height: 72}\n")
    again = tmp_path / "again"
    subprocess.run([synthbench, "generate", "--config", cfg, "--frames", "24", "--seed", "5", "--out", again, "--quiet",
                    "--lanes", "1", "--envs", "3"], check=True, capture_output=True)
    d2, n2 = lock.manifest_digest(again)
    assert (d1, n1) == (d2, n2)
    assert n1 == 24 * 3 + 2  # rgb, depth, mask per frame + annotations.json + randomization.jsonl


@pytest.mark.parametrize("edit", ["hash", "bytes", "seed", "drop"])
def test_a_changed_manifest_changes_the_digest(small_dataset, tmp_path, edit):
    copy = tmp_path / "copy"
    shutil.copytree(small_dataset, copy)
    before, _ = lock.manifest_digest(copy)
    m = json.loads((copy / "manifest.json").read_text())
    name = sorted(m["files"])[3]
    if edit == "hash":
        h = m["files"][name]["sha256"]
        m["files"][name]["sha256"] = ("0" if h[0] != "0" else "1") + h[1:]
    elif edit == "bytes":
        m["files"][name]["bytes"] += 1
    elif edit == "seed":
        m["seed"] += 1
    else:
        del m["files"][name]
    (copy / "manifest.json").write_text(json.dumps(m))
    assert lock.manifest_digest(copy)[0] != before


def test_run_section_does_not_enter_the_digest(small_dataset, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(small_dataset, copy)
    m = json.loads((copy / "manifest.json").read_text())
    m["run"] = {"lanes": 99, "seconds": 1234.5}
    (copy / "manifest.json").write_text(json.dumps(m))
    assert lock.manifest_digest(copy) == lock.manifest_digest(small_dataset)


def test_malformed_locks_are_refused_naming_the_field(tmp_path):
    p = tmp_path / "datasets.lock"
    lock.write(p, {"full": {"digest": "ab", "files": 3, "rebuild": True, "generate": ["--frames", "8"], "config": "x"}})
    assert lock.read(p)["full"]["files"] == 3
    doc = json.loads(p.read_text())
    doc["datasets"]["full"]["files"] = "3"
    p.write_text(json.dumps(doc))
    with pytest.raises(lock.LockError, match="datasets.full.files"):
        lock.read(p)
    p.write_text("{not json")
    with pytest.raises(lock.LockError, match="unreadable"):
        lock.read(p)
