#!/bin/sh
# The cost of one sweep point against the run's own compute (issue 21). Prints, in one run:
#   - one SIR run's compute time from `holon simulate --bench` (mean and best of 2,000 runs),
#   - a 10,000-point SIR sweep with outcomes (100 x 100 grid over contact infectivity and
#     infectious duration; peak infectious and final recovered per point) with --jobs 1 and
#     --jobs 2, ROUNDS times each, alternating: wall time, per-point cost, its ratio to the run's
#     compute time, and the --jobs 2 speed-up,
#   - the same ratio without the batch's fixed cost (start, import, reports), measured by a
#     one-point batch.
# Not part of ctest: it measures the machine. Use a Release build; on a shared machine look at
# the load averages printed before trusting a ratio (the fastest round is the least disturbed).
#   tests/bench/batch/point_cost.sh [BUILD_DIR] [ROUNDS]   (default build/release, 3 rounds)
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:-$root/build/release}
rounds=${2:-3}
holon=$build/bin/holon
[ -x "$holon" ] || { echo "no $holon; build the holon, holon-runner and sd targets first" >&2; exit 2; }
model=$root/docs/examples/SIR.xmile
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

job() { # job FILE COUNT_A COUNT_B
    cat > "$1" <<JOB
version: holon-batch/1
name: SIR point cost
inputs:
  sir: {file: "$model"}
steps:
  - name: sweep
    method: sd.simulate
    input: sir
    sweep:
      grid:
        - {name: overrides.contact_infectivity, from: 0.15, to: 0.4, count: $2}
        - {name: overrides.duration, from: 3, to: 7, count: $3}
    outcomes:
      - {name: peak, variable: infectious, kind: max}
      - {name: recovered_end, variable: recovered, kind: final}
JOB
}
job "$work/sweep.yaml" 100 100
job "$work/one.yaml" 1 1
points=10000

load() { cut -d' ' -f1 /proc/loadavg; }
seconds() { # seconds JOBFILE JOBS OUT
    start=$(date +%s.%N)
    "$holon" batch "$1" --out "$3" --jobs "$2" --quiet --no-plots --restart
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}
best() { sort -g "$1" | head -1; }
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bench=$("$holon" simulate "$model" --bench 2000)
run_mean=$(echo "$bench" | sed 's/.*"run_ms_mean":\([0-9.e+-]*\).*/\1/')
run_min=$(echo "$bench" | sed 's/.*"run_ms_min":\([0-9.e+-]*\).*/\1/')
printf 'one SIR run (holon simulate --bench 2000): %.4f ms mean, %.4f ms best (load average %s)\n' "$run_mean" "$run_min" "$(load)"

: > "$work/t1"; : > "$work/t2"; : > "$work/t0"
round=1
while [ "$round" -le "$rounds" ]; do
    seconds "$work/one.yaml" 1 "$work/out-one" >> "$work/t0"
    for jobs in 1 2; do
        before=$(load)
        t=$(seconds "$work/sweep.yaml" "$jobs" "$work/out-$jobs")
        echo "$t" >> "$work/t$jobs"
        printf 'round %s --jobs %s: %.2f s for %s points, %.4f ms per point (load average before %s)\n' \
            "$round" "$jobs" "$t" "$points" "$(awk -v t="$t" -v n="$points" 'BEGIN { print 1000 * t / n }')" "$before"
    done
    round=$((round + 1))
done
ok=$(grep -c ',ok,' "$work/out-1/steps/sweep/outcomes.csv" || true)
[ "$ok" -eq "$points" ] || { echo "only $ok of $points points succeeded" >&2; exit 1; }

awk -v b1="$(best "$work/t1")" -v b2="$(best "$work/t2")" -v m1="$(median "$work/t1")" -v m2="$(median "$work/t2")" \
    -v f="$(best "$work/t0")" -v n="$points" -v rm="$run_mean" -v rb="$run_min" 'BEGIN {
    p1 = 1000 * b1 / n; pm = 1000 * m1 / n; marginal = 1000 * (b1 - f) / n
    printf "per-point cost, --jobs 1: best %.4f ms = %.2fx the mean run (%.2fx the best run); median %.4f ms = %.2fx\n", p1, p1 / rm, p1 / rb, pm, pm / rm
    printf "without the fixed cost of a batch (%.2f s, a one-point batch): %.4f ms = %.2fx the mean run\n", f, marginal, marginal / rm
    printf "--jobs 2 speed-up: %.2fx best, %.2fx median\n", b1 / b2, m1 / m2
}'
