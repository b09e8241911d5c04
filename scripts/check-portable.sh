#!/usr/bin/env bash
# Where the release build targets x86-64-v3 (Package.swift: the build machine has AVX2/FMA), builds the portable
# variant too (SYNTHBENCH_PORTABLE=1, baseline x86-64) and checks that both write the same bytes: 40 `full`
# frames, every file's SHA-256 in the manifests equal (different lanes and envs as well).
# usage: scripts/check-portable.sh       env: SYNTHBENCH_SCRATCH (release build, default .build)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! grep -qw avx2 /proc/cpuinfo 2>/dev/null; then echo "check-portable: no x86-64-v3 here, one build only"; exit 0; fi
scratch=${SYNTHBENCH_SCRATCH:-.build}
swift build -c release --product synthbench --scratch-path "$scratch"
SYNTHBENCH_PORTABLE=1 swift build -c release --product synthbench --scratch-path .build-portable
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$scratch/release/synthbench" generate --preset full --frames 40 --lanes 2 --envs 8 --out "$tmp/v3" --quiet > /dev/null
.build-portable/release/synthbench generate --preset full --frames 40 --lanes 1 --envs 3 --out "$tmp/portable" --quiet > /dev/null
python3 - "$tmp/v3/manifest.json" "$tmp/portable/manifest.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["files"] for p in sys.argv[1:3])
differ = sorted(k for k in a.keys() | b.keys() if a.get(k, {}).get("sha256") != b.get(k, {}).get("sha256"))
if differ:
    print(f"check-portable: {len(differ)} of {len(a)} files differ between the x86-64-v3 and the portable build, e.g. {differ[:3]}")
    sys.exit(1)
print(f"check-portable: x86-64-v3 and portable builds wrote the same {len(a)} files")
PY
