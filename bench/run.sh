#!/usr/bin/env bash
# Side-by-side benchmark: layerslim build against the hand-made recipe it replaces
# (cp -a TREE x && python3 prune_script.py x && (cd x && zip -qr -6 ../x.zip .)).
#
#   bench/run.sh [TREE] [RUNS]
#
# TREE defaults to bench/work/gis-site (make it with bench/make-gis-tree.sh); RUNS (default 3)
# alternating runs of each. Prints the medians, the ratio, layerslim's per-step times (from
# report.json "steps") and peak RSS (from /usr/bin/time). Needs: java, python3, strip, zip, GNU time.
# LAYERSLIM_BIN=path/to/layerslim runs that native binary instead of the jar.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
tree=${1:-$here/work/gis-site}
runs=${2:-3}
jar=$repo/target/layerslim.jar
bin=${LAYERSLIM_BIN:-}
# The JVM flags layerslim is measured with (the same bound the native image gets: -R:MaxHeapSize).
java_opts=${LAYERSLIM_JAVA_OPTS:--Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}
work=$here/work/run
results=$here/results
mkdir -p "$work" "$results"
[ -d "$tree" ] || { echo "no tree at $tree: run bench/make-gis-tree.sh first" >&2; exit 2; }
[ -f "$jar" ] || (cd "$repo" && mvn -B -q package -DskipTests)
for t in zip strip python3 /usr/bin/time; do command -v "$t" >/dev/null || { echo "needs $t" >&2; exit 2; }; done

stamp=$(date +%Y%m%d-%H%M%S)
csv=$results/bench-$stamp.csv
echo "run,tool,seconds,max_rss_kb,exit" > "$csv"

recipe() {
  cp -a "$tree" "$work/x" && python3 "$here/prune_script.py" "$work/x" && (cd "$work/x" && zip -qr -6 ../x.zip .)
}

layerslim() {
  # exit 1 (a limit exceeded, or binaries too new for the target) is a finished build here
  local cmd=(java $java_opts -jar "$jar")
  [ -z "$bin" ] || cmd=("$bin")
  "${cmd[@]}" build --site-packages "$tree" --handler "$here/handler/app.py" \
    --handler-function app.handler --prune-unused -o "$work/out" > "$work/layerslim.log" 2>&1 || [ $? -eq 1 ]
}

measure() { # name run
  local name=$1 i=$2 tf=$work/time.txt rc=0
  # the previous run's output is removed outside the timed region, for both alike
  if [ "$name" = recipe ]; then rm -rf "$work/x" "$work/x.zip"; else rm -rf "$work/out"; fi
  sync
  /usr/bin/time -f "%e %M" -o "$tf" bash -c "$(declare -f recipe layerslim); tree='$tree' here='$here' work='$work' jar='$jar' bin='$bin' java_opts='$java_opts'; $name" || rc=$?
  read -r secs rss < <(tail -n 1 "$tf")
  echo "$i,$name,$secs,$rss,$rc" >> "$csv"
  printf '  run %d %-9s %6.1f s  peak RSS %5d MiB  exit %d\n' "$i" "$name" "$secs" $((rss / 1024)) "$rc"
  [ "$rc" -eq 0 ] || { echo "$name failed (see $work/layerslim.log)" >&2; exit 3; }
}

echo "tree: $tree ($(du -sh "$tree" | cut -f1), $(find "$tree" -type f | wc -l) files), $runs alternating runs"
if [ -n "$bin" ]; then echo "layerslim: native binary $bin"; else echo "layerslim JVM flags: $java_opts"; fi
for i in $(seq 1 "$runs"); do
  if [ $((i % 2)) -eq 1 ]; then measure recipe "$i"; measure layerslim "$i"; else measure layerslim "$i"; measure recipe "$i"; fi
done

python3 - "$csv" "$work/out/report.json" "$work/x.zip" <<'PY'
import csv, json, os, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def med(tool, col):
    return statistics.median(float(r[col]) for r in rows if r["tool"] == tool)
r, l = med("recipe", "seconds"), med("layerslim", "seconds")
print()
print("| | median wall (s) | peak RSS (MiB) |")
print("| --- | ---: | ---: |")
print(f"| recipe (cp + prune script + zip -r -6) | {r:.1f} | {med('recipe', 'max_rss_kb') / 1024:.0f} |")
print(f"| layerslim build --prune-unused | {l:.1f} | {max(float(x['max_rss_kb']) for x in rows if x['tool'] == 'layerslim') / 1024:.0f} (max) |")
print(f"| ratio layerslim / recipe | {l / r:.2f} | |")
rep = json.load(open(sys.argv[2]))
print()
print("layerslim steps (last run): " + ", ".join(f"{s['name']} {s['millis'] / 1000:.1f} s" for s in rep["steps"]))
t = rep["totals"]
print(f"layerslim layer: {t['unzippedBytes']:,} bytes unzipped, {t['zippedBytes']:,} zipped, {t['files']} files")
print(f"recipe zip: {os.path.getsize(sys.argv[3]):,} bytes")
PY
echo "raw: $csv"
