#!/bin/sh
# 1,000 SIR runs (contact infectivity x infectious duration, a 40 x 25 grid) with --jobs 1 and
# --jobs 2; prints both times and the speed-up. Not part of ctest: it measures the machine.
#   tests/bench/batch/sweep_speedup.sh [BUILD_DIR]     (default build/debug; use a Release build)
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:-$root/build/debug}
holon=$build/bin/holon
[ -x "$holon" ] || { echo "no $holon; build the holon, holon-runner and sd targets first" >&2; exit 2; }
model=${HOLON_SIR_MODEL:-$root/../shared/sd-test-models/samples/SIR/SIR.xmile}
[ -f "$model" ] || model=$root/docs/examples/SIR.xmile
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/sweep.yaml" <<JOB
version: holon-batch/1
name: SIR 1000-run sweep
inputs:
  sir: {file: "$model"}
steps:
  - name: sweep
    method: sd.simulate
    input: sir
    params: {save_step: 1}
    sweep:
      grid:
        - {name: overrides.contact_infectivity, from: 0.1, to: 0.5, count: 40}
        - {name: overrides.duration, from: 2, to: 10, count: 25}
    outputs: {variables: [infectious, recovered], plots: [infectious]}
JOB

run() {
    start=$(date +%s.%N)
    "$holon" batch "$work/sweep.yaml" --out "$work/out-$1" --jobs "$1" --quiet
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }' 
}

t1=$(run 1)
t2=$(run 2)
tables=$(find "$work/out-2/steps/sweep/runs" -name series.csv | wc -l)
printf 'runs: %s tables, summary rows: %s\n' "$tables" "$(($(wc -l < "$work/out-2/steps/sweep/summary.csv") - 1))"
printf -- '--jobs 1: %.2f s\n--jobs 2: %.2f s\nspeed-up: %.2fx\n' "$t1" "$t2" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { print a / b }')"
