#!/usr/bin/env bash
# Runs the named test classes in a source tree and prints the wall time and the CPU time (user + sys,
# children included: the forked test JVM, and the pip, python3 and gcc it starts).
#
#   bench/test-cpu.sh TREE 'ClassA,ClassB' [label]
#
# On a shared machine wall time is noise; CPU time is the figure to compare. Compare two trees by
# running them back to back in the same conditions, e.g. A B A B.
set -euo pipefail
tree=$1
classes=$2
label=${3:-$tree}
cd "$tree"
log=$(mktemp)
if /usr/bin/time -f '%e %U %S' -o "$log.time" mvn -B -q -o test -Dtest="$classes" \
    -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
  status=ok
else
  status=FAILED
fi
read -r wall user sys <"$log.time"
printf '%-24s %-7s wall %7.1f s  cpu %7.1f s (user %.1f, sys %.1f)  load %s\n' "$label" "$status" "$wall" \
  "$(echo "$user + $sys" | bc)" "$user" "$sys" "$(cut -d' ' -f1 /proc/loadavg)"
[ "$status" = ok ] || tail -40 "$log"
rm -f "$log" "$log.time"
