#!/bin/sh
# csh.critique over 50 perspectives x 24 cells binding 10,000 entities: the in-process figure
# (csh_bench) and the end-to-end `holon run` (model loading and validation, runner, plugin,
# report with its PNG). Run from the repository root after building csh, csh_bench and holon:
#   flock /tmp/holon-build.lock cmake --build build/release --target holon holon-runner csh csh_bench
#   tests/bench/csh/run_bench.sh [build/release]
set -eu
build=${1:-build/release}
model=${TMPDIR:-/tmp}/csh-bench-$$.model.json
out=${TMPDIR:-/tmp}/csh-bench-$$
trap 'rm -rf "$model" "$out"' EXIT
"$build/bin/csh_bench" --write "$model" --repeat 5
# Wall clock depends on what else the machine runs; CPU time (user + system of holon and its
# runner) much less. Best of 3 of each.
times=${TMPDIR:-/tmp}/csh-bench-$$.times
trap 'rm -rf "$model" "$out" "$times"' EXIT
for report in false true; do
  : > "$times"
  for i in 1 2 3; do
    rm -rf "$out"
    /usr/bin/time -a -o "$times" -f "%e %U %S" \
      "$build/bin/holon" run csh.critique --quiet --model "$model" --params "{\"report\": $report}" --out "$out" >/dev/null
  done
  awk -v r="$report" 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 }
       END { printf "holon run csh.critique (report: %s): best of 3 %.2f s wall clock, %.2f s CPU\n", r, w, c }' "$times"
done
