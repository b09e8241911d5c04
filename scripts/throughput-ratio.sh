#!/usr/bin/env bash
# Generator throughput as a ratio of the encode ceiling (synthbench ceiling), measured side by side: N interleaved pairs of
# (generate FRAMES frames; encode-only on those same frames), each on LANES threads. Prints each pair and the median.
# usage: scripts/throughput-ratio.sh [PAIRS=5] [FRAMES=200] [LANES=2] [PRESET=full]
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-5}; frames=${2:-200}; lanes=${3:-2}; preset=${4:-full}
bin=${SYNTHBENCH_BIN:-.build/release/synthbench}
dir=$(mktemp -d)
ratios=()
# Each pair writes a new directory and all are removed at the end (see Bench.swift: on ext4 without a journal,
# creating files where many inodes were freed in the last minutes is several times slower, so deleting between
# pairs would charge one pair's clean-up to the next).
for i in $(seq 1 "$pairs"); do
  g=$($bin generate --preset "$preset" --frames "$frames" --lanes "$lanes" --envs 8 --seed "$i" --out "$dir/ds$i")
  gen=$(echo "$g" | sed -n 's/.*(\([0-9]*\) frames\/hour).*/\1/p' | head -1)
  c=$($bin ceiling "$dir/ds$i" --lanes "$lanes" --frames 60 --passes $(( lanes > 4 ? lanes / 2 : 2 )))
  ceil=$(echo "$c" | sed -n 's/.*(\([0-9]*\) frames\/hour).*/\1/p')
  r=$(python3 -c "print(f'{$gen/$ceil:.3f}')")
  ratios+=("$r")
  echo "pair $i: generate $gen frames/h, encode ceiling $ceil frames/h, ratio $r"
  echo "$g" | tail -2
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print "median ratio " a[int((NR+1)/2)] " over " NR " pairs"}'
rm -rf "$dir"
