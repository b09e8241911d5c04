#!/usr/bin/env bash
# Source this: makes a virtualenv with the reference tools the comparison tests use (pycocotools, numpy,
# scipy) and exports SYNTHBENCH_PYTHON. If the registry is unreachable the comparison tests are skipped.
venv="${SYNTHBENCH_VENV:-${TMPDIR:-/tmp}/synthbench-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pycocotools, numpy, scipy' 2>/dev/null; then
  python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check pycocotools numpy scipy \
    || echo "python-env: could not install pycocotools/numpy/scipy; reference comparisons will be skipped" >&2
fi
if "$venv/bin/python" -c 'import pycocotools, numpy, scipy' 2>/dev/null; then
  export SYNTHBENCH_PYTHON="$venv/bin/python"
fi
