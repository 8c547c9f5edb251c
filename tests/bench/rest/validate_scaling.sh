#!/bin/sh
# How model validation scales with model size (issue 14, finding 8: it was quadratic; 100,000
# variables took 56 s of server CPU). Times parse + schema + semantic checks, what POST
# .../models runs, on generated models with N variables and N-1 links, valid ones and ones with an
# error on every variable (the attack's shape). Not part of ctest.
#   cmake --build build/release --target model_validate_bench   (not built by default)
#   tests/bench/rest/validate_scaling.sh [BUILD_DIR]     SIZES="10000 100000 1000000" to change
set -eu
BUILD=${1:-build/release}
SIZES=${SIZES:-"10000 100000 1000000"}
# shellcheck disable=SC2086
exec "$BUILD/bin/model_validate_bench" $SIZES
