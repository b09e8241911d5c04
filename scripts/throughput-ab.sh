#!/usr/bin/env bash
# Generator throughput of two binaries side by side: PAIRS rounds, each generating FRAMES frames with binary A and
# with binary B (order alternating between rounds), same preset, seed and lanes; each run writes a new directory
# (all removed at the end, see scripts/throughput-ratio.sh). Prints every run, the median frames/hour of each and
# B ÷ A. Used to measure a build change (e.g. checks on in a module) against the build before it.
# usage: scripts/throughput-ab.sh BIN_A BIN_B [PAIRS=5] [FRAMES=200] [LANES=2] [PRESET=full]
set -euo pipefail
a=$1; b=$2; pairs=${3:-5}; frames=${4:-200}; lanes=${5:-2}; preset=${6:-full}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run() {  # binary tag round → frames/hour
  "$1" generate --preset "$preset" --frames "$frames" --lanes "$lanes" --envs 8 --seed "$3" --out "$dir/$2$3" \
    | sed -n 's/.*(\([0-9]*\) frames\/hour).*/\1/p' | head -1
}
ra=(); rb=()
for i in $(seq 1 "$pairs"); do
  if [ $((i % 2)) -eq 1 ]; then x=$(run "$a" a "$i"); y=$(run "$b" b "$i"); else y=$(run "$b" b "$i"); x=$(run "$a" a "$i"); fi
  ra+=("$x"); rb+=("$y")
  echo "round $i: A $x frames/h, B $y frames/h"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ma=$(median "${ra[@]}"); mb=$(median "${rb[@]}")
echo "median A $ma frames/h, B $mb frames/h, B/A $(python3 -c "print(f'{$mb/$ma:.3f}')") over $pairs rounds ($frames frames, $lanes lanes, preset $preset)"
