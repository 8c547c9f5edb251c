#!/usr/bin/env bash
# Sets everything up and runs every test of the release build. With HOLON_WITH_ASAN=1 it then
# builds and runs the whole suite again under ASan+UBSan (clang-14, preset `asan`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/setup.sh release
ctest --preset release

if [ "${HOLON_WITH_ASAN:-0}" = "1" ]; then
  bash .ci/setup.sh asan
  ctest --preset asan
fi
