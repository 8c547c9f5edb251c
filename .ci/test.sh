#!/usr/bin/env bash
# Sets everything up and runs every test of the release build, checks the Debian packages
# (.ci/package.sh), then builds the libFuzzer targets
# under ASan+UBSan (clang-14, preset `asan`) and runs each for its time budget (30 s for the
# parsers). With HOLON_WITH_ASAN=1 it runs the whole suite under ASan+UBSan instead of only the
# fuzzers (about 15 more minutes on 2 cores, so not in the default CI run).
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/setup.sh release
# The PostgreSQL store's tests need a server: a throwaway cluster in a temporary folder, stopped
# and deleted when this script ends, failed tests or not (a missing server fails them). Tests that
# restart the database call HOLON_TEST_POSTGRES_CTL restart.
trap 'bash .ci/postgres.sh stop' EXIT
HOLON_TEST_POSTGRES="$(bash .ci/postgres.sh)"
HOLON_TEST_POSTGRES_CTL="bash $PWD/.ci/postgres.sh"
export HOLON_TEST_POSTGRES HOLON_TEST_POSTGRES_CTL HOLON_REQUIRE_POSTGRES=1
ctest --preset release
bash .ci/postgres.sh stop
# The Debian packages: built, installed, the server started from its installed paths, removed.
bash .ci/package.sh

if [ "${HOLON_WITH_ASAN:-0}" = "1" ]; then
  bash .ci/setup.sh asan
  ctest --preset asan
else
  echo "== building the fuzzers (preset asan)"
  cmake --preset asan >/dev/null
  cmake --build --preset asan --target fuzzers -j "$(nproc)"
  ctest --preset asan -R fuzz
fi
