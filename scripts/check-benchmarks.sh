#!/usr/bin/env bash
# Runs the microbenchmarks of the Benchmarks/ package (ordo-one/benchmark; a package of its own, so the main
# build never compiles it) in a release build and checks each benchmark's p90 against the thresholds committed
# in Benchmarks/Thresholds/, with the tolerances set in Benchmarks/Benchmarks/SynthBench/Benchmarks.swift:
# thread CPU time +100 %, wall clock +200 %, allocations ±10 %. Exit 0 when every metric is within tolerance
# (also when some are faster: the tool's exit 4, reported here), non-zero on a regression (the tool's exit 2)
# or a failure to build or run.
#
# usage: scripts/check-benchmarks.sh            run and check
#        scripts/check-benchmarks.sh --update   run and replace Benchmarks/Thresholds/ with this run's p90s
# env:   BENCHMARK_FILTER   a regular expression: only the benchmarks whose names match
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
filter=()
[ -n "${BENCHMARK_FILTER:-}" ] && filter=(--filter "$BENCHMARK_FILTER")

if [ "${1:-}" = "--update" ]; then
  swift package --allow-writing-to-package-directory benchmark thresholds update --no-progress "${filter[@]}"
  echo "Benchmarks/Thresholds/ updated: review and commit the changed files"
  exit 0
fi

status=0
swift package benchmark thresholds check --no-progress "${filter[@]}" || status=$?
case $status in
  0) echo "check-benchmarks: every benchmark within its thresholds" ;;
  4) echo "check-benchmarks: within thresholds, some faster than the tolerance: consider scripts/check-benchmarks.sh --update"
     status=0 ;;
  *) echo "check-benchmarks: FAILED (exit $status): a regression against Benchmarks/Thresholds/, or the run failed" >&2 ;;
esac
exit $status
