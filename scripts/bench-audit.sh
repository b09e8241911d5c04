#!/usr/bin/env bash
# Times `synthbench audit` (release build) on a log-only `full` dataset (manifest.json + randomization.jsonl,
# no images) of FRAMES frames drawn by the Sampler, and reports wall time and peak RSS.
#
#   scripts/bench-audit.sh [WORKDIR]
#
# Environment: FRAMES (100000; a list such as "25000 100000" runs each), SCRATCH (.build-audit),
# RUNS (3: the best and every run are printed).
# The dataset is written once per frame count by the AuditBenchFixture test (debug build) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/synthbench-bench-audit}
FRAMES=${FRAMES:-100000}
SCRATCH=${SCRATCH:-.build-audit}
RUNS=${RUNS:-3}
mkdir -p "$WORK"

swift build -c release --scratch-path "$SCRATCH" --product synthbench > "$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log" >&2; echo "bench-audit: release build failed" >&2; exit 2; }
BIN="$SCRATCH/release/synthbench"

for n in $FRAMES; do
  DIR="$WORK/log-$n"
  if [ ! -f "$DIR/manifest.json" ]; then
    rm -rf "$DIR"
    SYNTHBENCH_AUDIT_BENCH_DIR="$DIR" SYNTHBENCH_AUDIT_BENCH_FRAMES="$n" \
      swift test --scratch-path "$SCRATCH" --filter AuditBenchFixture > "$WORK/write.log" 2>&1 \
      || { tail -30 "$WORK/write.log" >&2; echo "bench-audit: writing the log failed" >&2; exit 2; }
  fi
  mb=$(du -m "$DIR/randomization.jsonl" | cut -f1)
  best=""
  for r in $(seq "$RUNS"); do
    set +e
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$BIN" audit --json "$DIR" > "$WORK/audit-$n.json"
    rc=$?
    set -e
    read -r secs kb < "$WORK/time.txt"
    echo "audit $n frames ($mb MB log): ${secs} s wall, $((kb / 1024)) MB peak RSS, exit $rc"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
  done
  echo "best of $RUNS: $best s ($n frames)"
done
