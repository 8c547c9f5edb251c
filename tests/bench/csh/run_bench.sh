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
for report in false true; do
  best=""
  for i in 1 2 3; do
    rm -rf "$out"
    t0=$(date +%s%N)
    "$build/bin/holon" run csh.critique --quiet --model "$model" --params "{\"report\": $report}" --out "$out" >/dev/null
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "holon run csh.critique (report: $report): best of 3 $best ms wall clock"
done
