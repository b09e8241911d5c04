#!/usr/bin/env bash
# What `synthbench bench` adds to the generator's time: PAIRS interleaved pairs of (a) `generate` alone and
# (b) a one-cell bench (no memory probes) of the same frames, envs and lanes; each side's frames/s comes from
# its own timer around the generator run (generate's `seconds` of --json; the bench cell's frames_per_second),
# after one discarded warm-up run of each. Prints each pair, then the median of bench ÷ generate and the
# overhead 1 − that median (negative: within noise, the bench ran faster).
# usage: scripts/bench-overhead.sh [PAIRS=5] [FRAMES=512] [LANES=2] [ENVS=64]
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-5}; frames=${2:-512}; lanes=${3:-2}; envs=${4:-64}
bin=${SYNTHBENCH_BIN:-.build/release/synthbench}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
gen() {  # frames/s of one generate run
  "$bin" generate --preset full --frames "$frames" --lanes "$lanes" --envs "$envs" --seed "$1" --out "$dir/g$1" --json \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["frames_written"]/d["seconds"])'
}
bench() {  # frames/s of a one-cell, one-repeat bench
  "$bin" bench --preset full --frames "$frames" --lanes "$lanes" --envs "$envs" --seed "$1" --repeat 1 \
    --memory-envs none --quiet --scratch "$dir" --out "$dir/b$1.json" >/dev/null
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["cells"][0]["frames_per_second"]["median"])' "$dir/b$1.json"
}
gen 0 >/dev/null; bench 0 >/dev/null
ratios=()
for i in $(seq 1 "$pairs"); do
  g=$(gen "$i"); b=$(bench "$i")
  r=$(python3 -c "print(f'{$b/$g:.4f}')")
  ratios+=("$r")
  printf 'pair %d: generate %.1f frames/s, bench cell %.1f frames/s, ratio %s\n' "$i" "$g" "$b" "$r"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "median bench/generate %s over %d pairs: bench overhead %.1f %%\n", m, NR, (1-m)*100}'
