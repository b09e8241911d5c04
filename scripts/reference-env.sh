#!/usr/bin/env bash
# Source this: a virtualenv with reference/requirements.txt (torch 2.11 and torchvision 0.26 from PyPI, which
# pull their CUDA libraries, about 4.7 GB and 1.5 minutes; MuJoCo; numpy, Pillow, matplotlib, pytest); exports
# REFERENCE_PYTHON. MuJoCo renders on the CPU through OSMesa (Debian's libosmesa6, scripts/install-deps.sh).
venv="${REFERENCE_VENV:-${TMPDIR:-/tmp}/synthbench-reference-venv}"
req="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/reference/requirements.txt"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$req" "$stamp"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
  cp "$req" "$stamp"
fi
export REFERENCE_PYTHON="$venv/bin/python"
