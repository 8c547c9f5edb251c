#!/usr/bin/env bash
# Installs what Holon needs on Debian 12 (idempotent) and builds it with the given CMake preset.
# Usage: bash .ci/setup.sh [release|debug|asan]   (default: release)
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET="${1:-release}"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libboost-graph-dev libsundials-dev libpoco-dev libssl-dev openssl nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev libvalijson-dev libseccomp-dev libcli11-dev
  libyaml-cpp-dev libexpat1-dev libsqlite3-dev libfreexl-dev libgraphviz-dev graphviz librsvg2-dev fonts-dejavu-core gnuplot-nox jq curl wrk
  clang-14 libclang-rt-14-dev libomp-14-dev
  libxlsxwriter-dev python3-openpyxl
  python3-requests python3-pandas
  chromium chromium-driver python3-selenium
  postgresql libpq-dev haproxy
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}"
fi

echo "== configuring and building (preset $PRESET)"
cmake --preset "$PRESET" >/dev/null
cmake --build --preset "$PRESET" -j "$(nproc)"
