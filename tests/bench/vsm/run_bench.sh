#!/bin/sh
# vsm.diagnose on 10,000 units over 6 recursion levels with 50,000 channels.
# Run from the repository root after building `holon`, `vsm` and `vsm_bench`:
#   flock /tmp/holon-build.lock cmake --build build/release --target holon holon-runner vsm vsm_bench
#   sh tests/bench/vsm/run_bench.sh [build/release]
set -e
BUILD=${1:-build/release}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 tests/bench/vsm/make_organisation.py "$WORK/org.json"
echo "model: $(du -k "$WORK/org.json" | cut -f1) KiB"
echo "core (parse + organisation + rules + result document), median of 5:"
"$BUILD/bin/vsm_bench" "$WORK/org.json" 5
echo "through holon run (validation, runner, result written), 3 runs, wall seconds:"
for i in 1 2 3; do
  /usr/bin/time -f "%e s, max RSS %M KiB" "$BUILD/bin/holon" run vsm.diagnose --quiet --model "$WORK/org.json" --out "$WORK/out"
done
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print('findings:', len(r['findings']), 'levels:', len(r['levels']))" "$WORK/out/result.json"
