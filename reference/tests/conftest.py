import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from synthref import tool  # noqa: E402


@pytest.fixture(scope="session")
def synthbench():
    return tool.binary()


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory, synthbench):
    """A 24-frame `full` dataset at 96×72 (3 episodes of 8 frames)."""
    d = tmp_path_factory.mktemp("ds")
    cfg = d / "small.yaml"
    cfg.write_text("preset: full\nimage: {width: 96, height: 72}\n")
    out = d / "data"
    subprocess.run([synthbench, "generate", "--config", cfg, "--frames", "24", "--seed", "5", "--out", out, "--quiet"],
                   check=True, capture_output=True)
    return out
