#!/bin/sh
# 1,000 SIR runs (contact infectivity x infectious duration, a 40 x 25 grid) with --jobs 1 and
# --jobs 2; prints the times and the speed-up. Not part of ctest: it measures the machine.
#   tests/bench/batch/sweep_speedup.sh [BUILD_DIR] [ROUNDS]   (default build/debug, 3 rounds; use a Release build)
# Each round runs --jobs 1 then --jobs 2 into fresh folders. On a machine that others share a
# single pair is mostly noise, so every time is printed with the load average, and the speed-up
# is given for the fastest run of each (the least disturbed) and for the medians.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:-$root/build/debug}
rounds=${2:-3}
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

load() { cut -d' ' -f1 /proc/loadavg; }

# run JOBS ROUND: prints the wall-clock seconds of one batch
run() {
    start=$(date +%s.%N)
    "$holon" batch "$work/sweep.yaml" --out "$work/out-$1-$2" --jobs "$1" --quiet
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}

: > "$work/times-1"
: > "$work/times-2"
round=1
while [ "$round" -le "$rounds" ]; do
    for jobs in 1 2; do
        before=$(load)
        t=$(run "$jobs" "$round")
        echo "$t" >> "$work/times-$jobs"
        printf 'round %s --jobs %s: %.2f s (load average before %s)\n' "$round" "$jobs" "$t" "$before"
    done
    round=$((round + 1))
done

last=$work/out-2-$rounds/steps/sweep
tables=$(find "$last/runs" -name series.csv | wc -l)
printf 'runs: %s tables, summary rows: %s\n' "$tables" "$(($(wc -l < "$last/summary.csv") - 1))"
min() { sort -g "$1" | head -n 1; }
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
b1=$(min "$work/times-1"); b2=$(min "$work/times-2")
m1=$(median "$work/times-1"); m2=$(median "$work/times-2")
printf -- '--jobs 1: best %.2f s, median %.2f s\n--jobs 2: best %.2f s, median %.2f s\n' "$b1" "$m1" "$b2" "$m2"
printf 'speed-up: %.2fx (best), %.2fx (median), over %s rounds\n' \
    "$(awk -v a="$b1" -v b="$b2" 'BEGIN { print a / b }')" "$(awk -v a="$m1" -v b="$m2" 'BEGIN { print a / b }')" "$rounds"
