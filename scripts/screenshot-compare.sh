#!/usr/bin/env bash
# Renders a `synthbench compare` HTML page in headless Chromium: writes a PNG screenshot and checks, in the
# browser's own text layout, that no SVG text reaches outside its chart (a clipped label fails with exit 1).
# Installs Chromium from Debian when it is missing.
# usage: scripts/screenshot-compare.sh [PAGE=results/compare-2core-vs-16core.html] [PNG=PAGE with .png] [WIDTHxHEIGHT=1400x2400]
set -euo pipefail
cd "$(dirname "$0")/.."
page=${1:-results/compare-2core-vs-16core.html}
png=${2:-${page%.html}.png}
size=${3:-1400x2400}
[ -f "$page" ] || { echo "no such page: $page" >&2; exit 2; }

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "installing chromium (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  browser=$(command -v chromium)
fi

abs() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1
       --user-data-dir="$work/profile" --window-size="${size/x/,}")

"$browser" "${flags[@]}" --screenshot="$(abs "$(dirname "$png")")/$(basename "$png")" "file://$(abs "$page")" 2>/dev/null
echo "wrote $png"

# The clip check runs on a copy of the page with a script appended (the page itself has none): every <text>'s
# box as laid out by the browser, in its SVG's user units, must lie inside the SVG's viewBox.
cp "$page" "$work/page.html"
cat >>"$work/page.html" <<'EOF'
<script>
const out = [];
document.querySelectorAll('svg').forEach((svg, i) => {
  const vb = svg.viewBox.baseVal;
  svg.querySelectorAll('text').forEach(t => {
    // The text's own box, carried through its transform (a rotated axis label) into the SVG's user units.
    const b = t.getBBox(), m = svg.getScreenCTM().inverse().multiply(t.getScreenCTM());
    const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]
      .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
    const x0 = Math.min(...corners.map(p => p.x)), x1 = Math.max(...corners.map(p => p.x));
    const y0 = Math.min(...corners.map(p => p.y)), y1 = Math.max(...corners.map(p => p.y));
    if (x0 < vb.x - 0.5 || y0 < vb.y - 0.5 || x1 > vb.x + vb.width + 0.5 || y1 > vb.y + vb.height + 0.5)
      out.push(`chart ${i + 1}: "${t.textContent}" spans x ${x0.toFixed(1)}–${x1.toFixed(1)}, ` +
               `y ${y0.toFixed(1)}–${y1.toFixed(1)} outside the viewBox ${vb.width}×${vb.height}`);
  });
});
const pre = document.createElement('pre');
pre.id = 'clip-check';
pre.textContent = `checked ${document.querySelectorAll('svg text').length} labels\n` + out.join('\n');
document.body.appendChild(pre);
</script>
EOF
dom=$("$browser" "${flags[@]}" --dump-dom "file://$work/page.html" 2>/dev/null)
report=$(printf '%s\n' "$dom" | sed -n '/<pre id="clip-check">/,/<\/pre>/p' | sed -e 's/<[^>]*>//g')
[ -n "$report" ] || { echo "the clip check did not run" >&2; exit 1; }
printf '%s\n' "$report"
if [ "$(printf '%s\n' "$report" | grep -c 'outside the viewBox')" -gt 0 ]; then exit 1; fi
