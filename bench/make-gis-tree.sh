#!/usr/bin/env bash
# Builds the benchmark input: the GIS set from shared/docs/field-notes.md, pip-installed into
# bench/work/gis-site (about 600 MB, 10k files), and a handler importing geopandas, pyogrio, pyproj.
# Uses whatever index pip is configured with (this machine: its package mirror; `pip config list`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
site=${1:-$here/work/gis-site}
if [ -d "$site" ] && [ -n "$(ls -A "$site" 2>/dev/null)" ]; then
  echo "already there: $site"; exit 0
fi
mkdir -p "$site"
python3 -m pip install --quiet --target "$site" geopandas pyproj shapely fiona numpy scipy matplotlib
echo "installed into $site: $(du -sh "$site" | cut -f1), $(find "$site" -type f | wc -l) files"
