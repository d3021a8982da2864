#!/usr/bin/env bash
# Renders the Mermaid charts of a report.md (or a comment.md) to PNG files with Mermaid's own CLI,
# to look at what GitHub will draw in the job summary and the comment.
#
#   bench/render-chart.sh layerslim-out/report.md [OUT_DIR]    # writes OUT_DIR/chart-1.png, chart-2.png …
#
# Needs npm and a Chromium (apt-get install chromium; CHROMIUM=path for another one). Mermaid's CLI
# is installed once into bench/work/mmdc; puppeteer is told not to download a browser of its own.
set -euo pipefail
report=${1:?usage: bench/render-chart.sh REPORT_MD [OUT_DIR]}
out=${2:-$(dirname "$report")/chart}
here=$(cd "$(dirname "$0")" && pwd)
tools=$here/work/mmdc
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "no Chromium at $chromium (apt-get install chromium, or set CHROMIUM)" >&2; exit 2; }
if [ ! -x "$tools/node_modules/.bin/mmdc" ]; then
  mkdir -p "$tools"
  (cd "$tools" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --silent @mermaid-js/mermaid-cli@11)
fi
printf '{"executablePath": "%s", "args": ["--no-sandbox", "--disable-gpu"]}\n' "$chromium" > "$tools/puppeteer.json"
mkdir -p "$out"
# a .md input: every ```mermaid block becomes OUT/chart-N.png, and chart.md links them
"$tools/node_modules/.bin/mmdc" -q -p "$tools/puppeteer.json" -i "$report" -o "$out/chart.md" -e png -s 2 -w 900
ls -1 "$out"/chart-*.png
