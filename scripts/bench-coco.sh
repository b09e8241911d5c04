#!/usr/bin/env bash
# Benchmarks `synthbench eval` against pycocotools and `synthbench validate`'s streaming rate, side by side
# in one run, on generated files (release build).
#
#   scripts/bench-coco.sh [WORKDIR]
#
# Environment: SYNTHBENCH_PYTHON (a python with pycocotools + numpy; scripts/ci-pycocotools.sh makes one),
# else python3. EVAL_IMAGES (5000), EVAL_DETECTIONS (50000), VALIDATE_IMAGES (100000),
# VALIDATE_ANNOTATIONS (1000000), SCRATCH (.build-coco).
#
# Eval: pycocotools' time is evaluate() + accumulate() only (loading excluded); synthbench's is the whole
# command, loading both files included. Validate: bytes of annotations.json / wall time of the command.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${SYNTHBENCH_PYTHON:-python3}
WORK=${1:-/tmp/synthbench-bench-coco}
EVAL_IMAGES=${EVAL_IMAGES:-5000}
EVAL_DETECTIONS=${EVAL_DETECTIONS:-50000}
VALIDATE_IMAGES=${VALIDATE_IMAGES:-100000}
VALIDATE_ANNOTATIONS=${VALIDATE_ANNOTATIONS:-1000000}
SCRATCH=${SCRATCH:-.build-coco}
mkdir -p "$WORK"

"$PY" -c "import pycocotools, numpy" 2>/dev/null || { echo "bench-coco: $PY lacks pycocotools (run scripts/ci-pycocotools.sh)" >&2; exit 2; }
swift build -c release --scratch-path "$SCRATCH" --product synthbench >/dev/null
BIN="$SCRATCH/release/synthbench"

"$PY" - "$WORK" "$EVAL_IMAGES" "$EVAL_DETECTIONS" "$VALIDATE_IMAGES" "$VALIDATE_ANNOTATIONS" <<'EOF'
import json, math, os, random, sys
work, n_img, n_det, v_img, v_ann = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(12345)

def poly(cx, cy, rx, ry, k):
    out = []
    for j in range(k):
        a = 2 * math.pi * j / k
        out += [round(cx + rx * math.cos(a), 2), round(cy + ry * math.sin(a), 2)]
    return out

# Eval pair: 80 categories, ~6 objects per image, detections jittered from GT plus false positives.
gt_path, dt_path = os.path.join(work, "eval_gt.json"), os.path.join(work, "eval_dt.json")
if not (os.path.exists(gt_path) and os.path.exists(dt_path)):
    W, H = 640, 480
    images, anns, dets = [], [], []
    aid = 1
    per_img = n_det / n_img
    for i in range(1, n_img + 1):
        images.append({"id": i, "width": W, "height": H, "file_name": f"rgb/rgb_{i:06d}.png"})
        objs = []
        for _ in range(rng.randint(2, 10)):
            rx, ry = rng.uniform(3, 120), rng.uniform(3, 100)
            cx, cy = rng.uniform(rx, W - rx), rng.uniform(ry, H - ry)
            p = poly(cx, cy, rx, ry, 12)
            c = rng.randint(1, 80)
            anns.append({"id": aid, "image_id": i, "category_id": c, "bbox": [round(cx - rx, 2), round(cy - ry, 2), round(2 * rx, 2), round(2 * ry, 2)],
                         "area": round(math.pi * rx * ry, 2), "segmentation": [p], "iscrowd": 1 if rng.random() < 0.03 else 0})
            aid += 1
            objs.append((c, cx, cy, rx, ry))
        k = int(per_img) + (1 if rng.random() < per_img - int(per_img) else 0)
        for j in range(k):
            if j < len(objs) and rng.random() < 0.8:
                c, cx, cy, rx, ry = objs[j]
                cx += rng.gauss(0, rx * 0.1); cy += rng.gauss(0, ry * 0.1); rx *= rng.uniform(0.85, 1.15); ry *= rng.uniform(0.85, 1.15)
                if rng.random() < 0.1: c = rng.randint(1, 80)
            else:
                rx, ry = rng.uniform(3, 100), rng.uniform(3, 80)
                cx, cy, c = rng.uniform(0, W), rng.uniform(0, H), rng.randint(1, 80)
            dets.append({"image_id": i, "category_id": c, "bbox": [round(cx - rx, 2), round(cy - ry, 2), round(2 * rx, 2), round(2 * ry, 2)],
                         "score": round(rng.random(), 4), "segmentation": [poly(cx, cy, rx, ry, 12)]})
    cats = [{"id": c, "name": f"class{c}", "supercategory": "thing"} for c in range(1, 81)]
    with open(gt_path, "w") as f:
        json.dump({"images": images, "annotations": anns, "categories": cats}, f)
    with open(dt_path, "w") as f:
        json.dump(dets, f)

# Validate input: streamed to disk, never held in memory.
big = os.path.join(work, "validate", "annotations.json")
os.makedirs(os.path.dirname(big), exist_ok=True)
if not os.path.exists(big):
    W, H = 640, 480
    per = v_ann // v_img
    with open(big + ".tmp", "w") as f:
        f.write('{"info":{"description":"bench"},"licenses":[],"categories":[')
        f.write(",".join(json.dumps({"id": c, "name": f"class{c}", "supercategory": "thing"}) for c in range(1, 81)))
        f.write('],"images":[')
        for i in range(1, v_img + 1):
            if i > 1: f.write(",")
            f.write(f'{{"id":{i},"width":{W},"height":{H},"file_name":"rgb/rgb_{i:06d}.png"}}')
        f.write('],"annotations":[')
        aid = 1
        for i in range(1, v_img + 1):
            for _ in range(per):
                rx, ry = rng.uniform(4, 60), rng.uniform(4, 50)
                cx, cy = rng.uniform(rx, W - rx), rng.uniform(ry, H - ry)
                p = poly(cx, cy, rx, ry, 8)
                xs, ys = p[0::2], p[1::2]
                bbox = [min(xs), min(ys), round(max(xs) - min(xs), 2), round(max(ys) - min(ys), 2)]
                area = 0.5 * abs(sum(xs[j] * ys[(j + 1) % 8] - xs[(j + 1) % 8] * ys[j] for j in range(8)))
                if aid > 1: f.write(",")
                f.write(json.dumps({"id": aid, "image_id": i, "category_id": rng.randint(1, 80), "bbox": bbox,
                                    "area": round(area, 2), "segmentation": [p], "iscrowd": 0}, separators=(",", ":")))
                aid += 1
        f.write("]}")
    os.rename(big + ".tmp", big)
EOF

echo "== eval: $EVAL_IMAGES images, $EVAL_DETECTIONS detections ($(nproc) cores)"
for IOU in bbox segm; do
  PYT=$("$PY" - "$WORK/eval_gt.json" "$WORK/eval_dt.json" "$IOU" <<'EOF'
import contextlib, io, sys, time
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
with contextlib.redirect_stdout(io.StringIO()):
    gt = COCO(sys.argv[1]); dt = gt.loadRes(sys.argv[2]); ev = COCOeval(gt, dt, sys.argv[3])
    t0 = time.perf_counter(); ev.evaluate(); ev.accumulate(); t1 = time.perf_counter(); ev.summarize()
print(f"{t1 - t0:.3f} {ev.stats[0]:.12f} {ev.stats[1]:.12f}")
EOF
)
  read -r PYSEC PYAP PYAP50 <<<"$PYT"
  T0=$(date +%s.%N)
  OUT=$("$BIN" eval --gt "$WORK/eval_gt.json" --dt "$WORK/eval_dt.json" --iou "$IOU" --json)
  T1=$(date +%s.%N)
  SB=$(echo "$T1 - $T0" | bc -l)
  SBAP=$(echo "$OUT" | "$PY" -c "import json,sys; s=json.load(sys.stdin)['stats']; print(f'{s[0]:.12f} {s[1]:.12f}')")
  RATIO=$(echo "$PYSEC / $SB" | bc -l)
  printf "%s: pycocotools evaluate+accumulate %.2f s; synthbench eval (load+evaluate+accumulate+summarize) %.2f s; ratio %.1fx\n" "$IOU" "$PYSEC" "$SB" "$RATIO"
  echo "      AP, AP50 pycocotools: $PYAP $PYAP50   synthbench: $SBAP"
done

BYTES=$(stat -c %s "$WORK/validate/annotations.json")
echo "== validate: $VALIDATE_IMAGES images, $VALIDATE_ANNOTATIONS annotations, $((BYTES / 1000000)) MB"
T0=$(date +%s.%N)
set +e
/usr/bin/time -f "%M" -o "$WORK/validate.rss" "$BIN" validate "$WORK/validate/annotations.json" > "$WORK/validate.out"
RC=$?
set -e
T1=$(date +%s.%N)
SEC=$(echo "$T1 - $T0" | bc -l)
printf "validate: %.2f s, %.0f MB/s, peak RSS %d MB, exit %d: %s\n" "$SEC" "$(echo "$BYTES / 1000000 / $SEC" | bc -l)" \
  "$(( $(cat "$WORK/validate.rss") / 1024 ))" "$RC" "$(tail -1 "$WORK/validate.out")"
