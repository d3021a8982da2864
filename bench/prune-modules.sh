#!/usr/bin/env bash
# --prune-modules on the GIS tree: builds the layer with --prune-unused alone and with --prune-modules
# --smoke-event, prints both unzipped sizes and the difference, then calls the handler on the sample
# event in the built layer and in the unpruned tree and compares the results (compare_handler.py).
#
#   bench/prune-modules.sh [TREE] [HANDLER_DIR]
#
# TREE defaults to bench/work/gis-site (bench/make-gis-tree.sh); HANDLER_DIR to bench/gis-modules
# (app.py + event.json; bench/mpl-modules renders a PNG with matplotlib's Agg). --compat warn: the
# tree's wheels need a newer glibc than python3.11's runtime, which is not what this measures.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
tree=${1:-$here/work/gis-site}
hdir=${2:-$here/gis-modules}
work=$here/work/prune-modules
[ -d "$tree" ] || { echo "no tree at $tree: run bench/make-gis-tree.sh first" >&2; exit 2; }
rm -rf "$work" && mkdir -p "$work"
common=(build --site-packages "$tree" --handler "$hdir/app.py" --handler-function app.handler --prune-unused
  --compat warn)
"$repo/bin/layerslim" "${common[@]}" -o "$work/unused" > "$work/unused.log" 2>&1 || true
"$repo/bin/layerslim" "${common[@]}" --prune-modules --smoke-event "$hdir/event.json" -o "$work/modules" \
  > "$work/modules.log" 2>&1 && rc=0 || rc=$?
python3 - "$work/unused/report.json" "$work/modules/report.json" "$rc" <<'PY'
import json, sys
def unzipped(p):
    return next(l["actualBytes"] for l in json.load(open(p))["limits"] if l["name"] == "unzipped")
a, b = unzipped(sys.argv[1]), unzipped(sys.argv[2])
print(f"--prune-unused:                  {a:,} bytes unzipped")
print(f"--prune-unused --prune-modules:  {b:,} bytes unzipped (exit {sys.argv[3]}), {a - b:,} bytes smaller")
print(f"AWS limit 262,144,000: {'fits' if b <= 262144000 else f'over by {b - 262144000:,}'}")
m = json.load(open(sys.argv[2]))["prune"]["modules"]
print("\n| removed sub-package | files | bytes (installed) |\n| --- | ---: | ---: |")
for u in m["removed"]:
    print(f"| `{u['path']}` | {u['files']} | {u['bytes']:,} |")
PY
python3 "$here/compare_handler.py" "$hdir/app.py" app.handler "$hdir/event.json" "$tree" "$work/modules/layer/python"
