"""Finding and running the `synthbench` binary (standard library only: `regrade` uses this too)."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class ToolError(Exception):
    """A synthbench call failed; carries its exit code."""

    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


def binary():
    """`$SYNTHBENCH`, else `synthbench` on PATH, else the repository's `.build/release/synthbench`."""
    env = os.environ.get("SYNTHBENCH")
    if env:
        if not os.access(env, os.X_OK):
            raise ToolError(f"SYNTHBENCH={env}: not an executable file", 2)
        return env
    found = shutil.which("synthbench")
    if found:
        return found
    local = REPO / ".build" / "release" / "synthbench"
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    raise ToolError("synthbench not found: set $SYNTHBENCH, put it on PATH, or `swift build -c release`", 2)


def run(args, ok=(0,), capture=True, log=None):
    """Runs `synthbench ARGS`; returns the completed process. Exit codes outside `ok` raise ToolError."""
    cmd = [binary()] + [str(a) for a in args]
    p = subprocess.run(cmd, capture_output=capture, text=True)
    if log is not None and capture:
        log.write(p.stdout)
        log.write(p.stderr)
    if p.returncode not in ok:
        tail = (p.stderr or "")[-2000:] if capture else ""
        raise ToolError(f"`{' '.join(cmd)}` exited {p.returncode}: {tail}", p.returncode)
    return p


def eval_json(gt, dt):
    """COCO box metrics of detections `dt` against ground truth `gt` from `synthbench eval --json`."""
    return json.loads(run(["eval", "--gt", gt, "--dt", dt, "--iou", "bbox", "--json"]).stdout)


def say(msg):
    print(msg, file=sys.stderr, flush=True)
