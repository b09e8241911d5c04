#!/usr/bin/env bash
# System libraries SynthBench links: libpng, libdeflate, GSL, ODE (and pkg-config to find them); OSMesa for the reference
# experiment's MuJoCo renders on the CPU (reference/).
set -euo pipefail
need=()
for p in libpng-dev libgsl-dev libode-dev libdeflate-dev pkg-config libosmesa6; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
