#!/usr/bin/env bash
# Source this: makes a virtualenv with the reference tools the comparison tests use (pycocotools, numpy,
# scipy) and exports SYNTHBENCH_PYTHON. If the registry is unreachable the comparison tests are skipped.
# It also holds kubernetes-validate (pinned; scripts/check-deploy.sh validates deploy/k8s with it and fails
# without it).
venv="${SYNTHBENCH_VENV:-${TMPDIR:-/tmp}/synthbench-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pycocotools, numpy, scipy, PIL' 2>/dev/null; then
  python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check pycocotools numpy scipy pillow \
    || echo "python-env: could not install pycocotools/numpy/scipy/pillow; reference comparisons will be skipped" >&2
fi
if "$venv/bin/python" -c 'import pycocotools, numpy, scipy, PIL' 2>/dev/null; then
  export SYNTHBENCH_PYTHON="$venv/bin/python"
fi
k8s_validate_version=1.37.0
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('kubernetes-validate') != '$k8s_validate_version')" 2>/dev/null; then
  "$venv/bin/pip" install -q --disable-pip-version-check "kubernetes-validate==$k8s_validate_version" \
    || echo "python-env: could not install kubernetes-validate==$k8s_validate_version; scripts/check-deploy.sh will fail" >&2
fi
