#!/usr/bin/env bash
# Short release-build bench, gated against the committed results/ci-baseline.json on the hardware-independent
# ratios only: generator ÷ encode ceiling per cell, and lane scaling ÷ the ceiling's own scaling, both measured in
# the same run on the same frames. Render is about 30 % of a frame's lane time, so a renderer at half speed
# lowers the ratio by about a quarter; run-to-run noise on a busy 2-core machine moves its median by a few
# percent. Hence the 10 % threshold (and a regression must also be significant: Mann–Whitney over 6 repeats).
# 2 cells × 6 repeats × 32 frames + 32 warm-up = 416 frames of 640×480, about half a minute on 2 cores.
#
# usage: scripts/ci-bench.sh [--update]     --update: replace results/ci-baseline.json with this run's result
# env:   SYNTHBENCH_BIN      use this binary instead of building one
#        SYNTHBENCH_SCRATCH  SwiftPM scratch path of the release build (default .build)
#        CI_BENCH_OUT        keep this run's result JSON at this path
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${SYNTHBENCH_BIN:-}" ]; then
  bin=$SYNTHBENCH_BIN
else
  scratch=${SYNTHBENCH_SCRATCH:-.build}
  swift build -c release --product synthbench --scratch-path "$scratch"
  bin="$scratch/release/synthbench"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${CI_BENCH_OUT:-$tmp/ci.json}
"$bin" bench --preset full --frames 32 --envs 4 --lanes 1,2 --repeat 6 --memory-envs none --target ci \
  --scratch "$tmp" --out "$out" --quiet
if [ "${1:-}" = "--update" ]; then
  cp "$out" results/ci-baseline.json
  echo "results/ci-baseline.json updated"
fi
"$bin" gate --baseline results/ci-baseline.json --candidate "$out" --ratios-only --max-regression 10%
