#!/usr/bin/env bash
# Makes a Python with pycocotools + numpy for the COCO reference tests and the COCO benchmark, and sets
# SYNTHBENCH_PYTHON to it (the tests use $SYNTHBENCH_PYTHON when set, else python3).
#
#   source scripts/ci-pycocotools.sh            # exports SYNTHBENCH_PYTHON in this shell
#   eval "$(scripts/ci-pycocotools.sh)"         # the same, from a child process
#
# The virtualenv lives outside the repository: $SYNTHBENCH_VENV, default /tmp/synthbench-venv-coco. It is
# reused when it already imports pycocotools. Needs python3 with venv and access to PyPI.

_synthbench_pycocotools() {
    local venv="${SYNTHBENCH_VENV:-/tmp/synthbench-venv-coco}"
    local py="$venv/bin/python"
    if ! "$py" -c "import pycocotools, numpy" >/dev/null 2>&1; then
        python3 -m venv "$venv" >&2 || { echo "ci-pycocotools: cannot create a virtualenv at $venv" >&2; return 1; }
        "$py" -m pip install --quiet --disable-pip-version-check pycocotools numpy >&2 \
            || { echo "ci-pycocotools: pip install pycocotools numpy failed" >&2; return 1; }
        "$py" -c "import pycocotools, numpy" >&2 || return 1
    fi
    echo "$py"
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    # Sourced: export into the calling shell, never exit it.
    if _synthbench_pycocotools_path="$(_synthbench_pycocotools)"; then
        export SYNTHBENCH_PYTHON="$_synthbench_pycocotools_path"
        echo "SYNTHBENCH_PYTHON=$SYNTHBENCH_PYTHON" >&2
    fi
    unset _synthbench_pycocotools_path
else
    set -euo pipefail
    path="$(_synthbench_pycocotools)"
    echo "export SYNTHBENCH_PYTHON=$path"
fi
