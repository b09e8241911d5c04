#!/usr/bin/env bash
# Generator throughput against a peer measured side by side: PAIRS interleaved pairs of (synthbench generate
# --preset full; the MuJoCo peer, scripts/peer-mujoco.py: MuJoCo on the CPU through OSMesa, 640×480 RGB + 16-bit
# depth + 16-bit mask PNGs through Pillow, COCO boxes, 1–6 objects settled by MuJoCo's physics), each FRAMES frames
# on WORKERS lanes / worker processes, seed = pair number. Prints each pair's frames/s of both and their ratio
# (synthbench ÷ MuJoCo), then the median ratio.
# Each tool's frames/s is its own report: synthbench's `seconds` (--json) and the peer's `seconds` (pool start-up
# and worker imports included, the parent's imports not).
# The peer runs in a virtualenv (PEER_VENV, default ${TMPDIR:-/tmp}/synthbench-peer-venv) with the versions of
# reference/requirements.txt, made on first use. The binary is ${SYNTHBENCH_BIN:-.build/release/synthbench}.
# usage: scripts/peer-ratio.sh [PAIRS=3] [FRAMES=200] [WORKERS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-3}; frames=${2:-200}; workers=${3:-2}
bin=${SYNTHBENCH_BIN:-.build/release/synthbench}
venv=${PEER_VENV:-${TMPDIR:-/tmp}/synthbench-peer-venv}
pins="mujoco==4.0.1 numpy==2.4.6 pillow==12.0.0"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.pins" 2>/dev/null)" != "$pins" ]; then
  python3 -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install -q --disable-pip-version-check $pins
  echo "$pins" > "$venv/.pins"
fi
py="$venv/bin/python"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# Each run writes a new directory and all are removed at the end (see scripts/throughput-ratio.sh).
ratios=()
for i in $(seq 1 "$pairs"); do
  s=$("$bin" generate --preset full --frames "$frames" --lanes "$workers" --envs 8 --seed "$i" --out "$dir/sb$i" --json)
  m=$(MUJOCO_GL=osmesa "$py" scripts/peer-mujoco.py --frames "$frames" --workers "$workers" --seed "$i" --out "$dir/mj$i")
  line=$("$py" - "$i" "$s" "$m" <<'EOF'
import json, sys
i, s, m = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
sb = s["frames_written"] / s["seconds"]
mj = m["frames_per_second"]
print(f"{sb / mj:.3f} pair {i}: synthbench {sb:.1f} frames/s ({s['frames_written']} in {s['seconds']:.2f} s), "
      f"mujoco {m['mujoco_version']} {mj:.1f} frames/s ({m['frames']} in {m['seconds']:.2f} s; render "
      f"{m['ms_per_frame_render']:.1f}, encode {m['ms_per_frame_encode']:.1f} ms/frame summed over workers), "
      f"ratio {sb / mj:.3f}")
EOF
)
  ratios+=("${line%% *}")
  echo "${line#* }"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk -v f="$frames" -v w="$workers" '{v[NR]=$1}
  END {printf "median ratio (synthbench ÷ mujoco) %.3f over %d pairs (%d frames, %d workers)\n",
       (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2, NR, f, w}'
