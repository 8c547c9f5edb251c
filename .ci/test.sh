#!/usr/bin/env bash
# Sets everything up and runs every test: the release build's full suite, then the whole suite
# again under ASan+UBSan (clang-14). Exit status 0 only when both pass.
set -euo pipefail
cd "$(dirname "$0")/.."
export HOLON_SHARED_DIR="${HOLON_SHARED_DIR:-$(cd .. && pwd)/shared}"

bash .ci/setup.sh release
ctest --preset release

if [ "${HOLON_SKIP_ASAN:-0}" != "1" ]; then
  bash .ci/setup.sh asan
  ctest --preset asan
fi
