"""`reference/regrade [DIR] [--all] [--keep]`: re-grades a committed reference submission on any machine.

0. Restore the detections (COCO results) from their committed `det/*.json.gz`.
1. For every dataset of DIR/datasets.lock marked `rebuild` (the ones `grade` reads: the training set that
   `capstone` and `ex4` measure, and the synthetic test set whose ground truth is committed), run the locked
   `synthbench generate` command (on the CPU, any lanes) and check the content digest: byte-identical output
   is SynthBench's determinism promise, checked here across machines and builds. `--all` rebuilds every
   `synthbench` dataset of the lock.
2. Check that committed ground truths are the rebuilt datasets' annotations (`used_as: test/...`).
3. Re-run `synthbench grade` (chapter-4 rubric; and DIR/rubric-intervals.yaml) and compare every number and
   verdict of the fresh JSON reports with the committed DIR/grade*/report.json.

Exit 0: the re-grade reproduced the committed reports (whatever the rubric's verdicts); 1: something differs
(each difference is printed); 2: bad input (missing or malformed lock, reports, binary).
Standard library only.
"""
import json
import shutil
import sys
import tempfile
from pathlib import Path

from . import lock, tool
from .tool import say

REPORTS = (("grade", None), ("grade-intervals", "rubric-intervals.yaml"))
# How a rebuilt dataset was written, not what it holds (outside SynthBench's determinism promise): the manifest's
# `run` section (seconds, envs), the files' write times, and the bytes on disk, which count manifest.json itself
# (its `run` section differs in length). Not read by any check this submission attempts.
RUN_FACTS = {"run_seconds", "run_envs", "write_span_seconds", "bytes_on_disk"}


def comparable(report):
    """The report without where it was graded (`directory`) and without the datasets' run facts."""
    out = {k: v for k, v in report.items() if k != "directory"}
    out["datasets"] = [{k: v for k, v in d.items() if k not in RUN_FACTS} for d in report.get("datasets", [])]
    return out


def differences(old, new, path="report"):
    """Paths at which two JSON values differ (numbers compared exactly)."""
    if type(old) is not type(new):
        return [f"{path}: {old!r} → {new!r}"]
    if isinstance(old, dict):
        out = []
        for k in sorted(set(old) | set(new)):
            if k not in old or k not in new:
                out.append(f"{path}.{k}: {'missing in the new report' if k not in new else 'not in the committed report'}")
            else:
                out += differences(old[k], new[k], f"{path}.{k}")
        return out
    if isinstance(old, list):
        if len(old) != len(new):
            return [f"{path}: {len(old)} entries → {len(new)}"]
        out = []
        for i, (a, b) in enumerate(zip(old, new)):
            key = a.get("id") if isinstance(a, dict) and "id" in a else i
            out += differences(a, b, f"{path}[{key}]")
        return out
    return [] if old == new else [f"{path}: {old!r} → {new!r}"]


def rebuild(directory, entries, everything, scratch):
    """Regenerates the lock's datasets; returns a list of problems."""
    problems = []
    for name, e in sorted(entries.items()):
        if not e["rebuild"] and not (everything and "generate" in e):
            continue
        used = e.get("used_as", "")
        out = directory / used if used.startswith("data/") else scratch / name
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        config = scratch / f"{name}.yaml"
        config.write_text(e["config"])
        say(f"regrade: generating {name}: {e.get('command', '')}")
        tool.run(["generate", "--config", config, *e["generate"], "--out", out, "--quiet"])
        digest, count = lock.manifest_digest(out)
        if digest != e["digest"] or count != e["files"]:
            problems.append(f"dataset {name}: digest {digest} ({count} files) differs from the lock's {e['digest']} "
                            f"({e['files']} files)")
        else:
            say(f"regrade: {name}: digest matches ({count} files)")
        if used.startswith("test/"):
            committed = directory / used
            if not committed.is_file():
                problems.append(f"{used}: missing")
            elif committed.read_bytes() != (out / "annotations.json").read_bytes():
                problems.append(f"{used}: differs from the rebuilt {name}/annotations.json")
    return problems


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    flags = [a for a in argv if a.startswith("--")]
    paths = [a for a in argv if not a.startswith("--")]
    unknown = [f for f in flags if f not in ("--all", "--keep")]
    if unknown or len(paths) > 1:
        say("usage: reference/regrade [DIR] [--all] [--keep]")
        return 2
    directory = Path(paths[0] if paths else tool.REPO / "results" / "reference").resolve()
    try:
        entries = lock.read(directory / "datasets.lock")
        committed = {}
        for sub, _ in REPORTS:
            p = directory / sub / "report.json"
            try:
                committed[sub] = json.loads(p.read_text())
            except (OSError, ValueError) as e:
                raise lock.LockError(str(p), f"unreadable committed report ({e})")
        with tempfile.TemporaryDirectory(prefix="regrade-") as tmp:
            scratch = Path(tmp)
            restored = lock.gunzip_beside(directory / "det")
            say(f"regrade: {len(restored)} detection files restored from det/*.json.gz")
            problems = rebuild(directory, entries, "--all" in flags, scratch)
            for sub, rubric in REPORTS:
                args = ["grade", directory, "--out", scratch / sub, "--quiet"]
                if rubric:
                    args += ["--rubric", directory / rubric]
                p = tool.run(args, ok=(0, 1))
                fresh = json.loads((scratch / sub / "report.json").read_text())
                diff = differences(comparable(committed[sub]), comparable(fresh), sub)
                problems += diff
                say(f"regrade: {sub}: {'reproduced' if not diff else f'{len(diff)} differences'} (grade exit {p.returncode})")
            if "--keep" not in flags:
                train = directory / "data"
                if train.exists():
                    shutil.rmtree(train)
    except (lock.LockError, tool.ToolError) as e:
        say(f"regrade: {e}")
        return 2 if not isinstance(e, tool.ToolError) else (e.code if e.code == 2 else 1)
    for line in problems:
        print(f"regrade: differs: {line}")
    if problems:
        return 1
    print(f"regrade: {directory}: every dataset digest and every graded number reproduced")
    return 0


if __name__ == "__main__":
    sys.exit(main())
