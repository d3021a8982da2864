#!/usr/bin/env bash
# Side-by-side benchmark from requirements (what a CI job does): layerslim build -r against the
# hand-made recipe it replaces, both with the same pip configuration (pip config list):
#
#   recipe:    pip install --target x -r REQS && python3 prune_script.py x && (cd x && zip -qr -6 ../x.zip .)
#   layerslim: layerslim build -r REQS --handler bench/handler/app.py --handler-function app.handler --prune-unused
#
#   bench/run-requirements.sh [REQS] [RUNS]
#
# REQS defaults to bench/gis-requirements.txt, RUNS (default 3) alternating runs of each. Prints the
# medians, the ratio and layerslim's install step's share. LAYERSLIM_BIN=path runs the native binary;
# LAYERSLIM_ARGS adds options (e.g. "--glibc 2.36" where the mirror has no wheel for Amazon Linux 2's
# glibc, so that layerslim installs for the host as the recipe does).
# Needs the network or a package mirror: a benchmark, never a test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
reqs=${1:-$here/gis-requirements.txt}
runs=${2:-3}
jar=$repo/target/layerslim.jar
bin=${LAYERSLIM_BIN:-}
java_opts=${LAYERSLIM_JAVA_OPTS:--Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}
work=$here/work/req-run
mkdir -p "$work" "$here/results"
[ -n "$bin" ] || [ -f "$jar" ] || (cd "$repo" && mvn -B -q package -DskipTests)
csv=$here/results/bench-req-$(date +%Y%m%d-%H%M%S).csv
echo "run,tool,seconds,exit" > "$csv"

recipe() {
  python3 -m pip install --quiet --disable-pip-version-check --target "$work/x" -r "$reqs" \
    && python3 "$here/prune_script.py" "$work/x" && (cd "$work/x" && zip -qr -6 ../x.zip .)
}

layerslim() {
  local cmd=(java $java_opts -jar "$jar")
  [ -z "$bin" ] || cmd=("$bin")
  # exit 1 (a limit exceeded, or binaries too new for the target) is a finished build here
  # shellcheck disable=SC2086
  "${cmd[@]}" build ${LAYERSLIM_ARGS:-} -r "$reqs" --handler "$here/handler/app.py" --handler-function app.handler --prune-unused \
    -o "$work/out" > "$work/layerslim.log" 2>&1 || [ $? -eq 1 ]
}

measure() { # name run
  local name=$1 i=$2 start end rc=0
  rm -rf "$work/x" "$work/x.zip" "$work/out"
  sync
  start=$(date +%s.%N)
  $name || rc=$?
  end=$(date +%s.%N)
  local secs; secs=$(python3 -c "print(f'{$end - $start:.1f}')")
  echo "$i,$name,$secs,$rc" >> "$csv"
  printf '  run %d %-9s %6.1f s  exit %d\n' "$i" "$name" "$secs" "$rc"
  [ "$rc" -eq 0 ] || { echo "$name failed (see $work/layerslim.log)" >&2; exit 3; }
}

echo "requirements: $reqs, $runs alternating runs; layerslim: ${bin:-java $java_opts -jar $jar}"
for i in $(seq 1 "$runs"); do
  if [ $((i % 2)) -eq 1 ]; then measure recipe "$i"; measure layerslim "$i"; else measure layerslim "$i"; measure recipe "$i"; fi
done

python3 - "$csv" "$work/out/report.json" <<'PY'
import csv, json, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
med = lambda t: statistics.median(float(r["seconds"]) for r in rows if r["tool"] == t)
r, l = med("recipe"), med("layerslim")
steps = {s["name"]: s["millis"] / 1000 for s in json.load(open(sys.argv[2]))["steps"]}
print()
print("| | median wall (s) |")
print("| --- | ---: |")
print(f"| recipe (pip install + prune script + zip -r -6) | {r:.1f} |")
print(f"| layerslim build -r … --prune-unused | {l:.1f} |")
print(f"| ratio layerslim / recipe | {l / r:.2f} |")
print()
print(f"layerslim's install step (last run): {steps.get('install', 0):.1f} s of {sum(steps.values()):.1f} s in steps")
print("steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()))
PY
echo "raw: $csv"
