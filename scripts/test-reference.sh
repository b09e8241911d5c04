#!/usr/bin/env bash
# The reference experiment's Python (reference/): pinned requirements in a virtualenv, then pytest, which runs
# `reference/run --smoke` end to end on the CPU and `reference/regrade` on its submission; then the committed
# submission (results/reference) is re-graded from its datasets.lock and must reproduce its reports exactly.
# env: SYNTHBENCH (default .build/release/synthbench, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/reference-env.sh
if [ -z "${SYNTHBENCH:-}" ]; then
  [ -x .build/release/synthbench ] || swift build -c release --product synthbench
  export SYNTHBENCH=$PWD/.build/release/synthbench
fi
export MUJOCO_GL=${MUJOCO_GL:-osmesa}
"$REFERENCE_PYTHON" -m pytest -q -p no:cacheprovider reference/tests
if [ -f results/reference/datasets.lock ]; then
  reference/regrade results/reference
fi
