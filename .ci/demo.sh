#!/usr/bin/env bash
# Sets everything up and runs the main job: lists the plugins, then analyses a demo model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh release
HOLON=build/release/bin/holon
echo "== holon plugins"
"$HOLON" plugins
echo "== holon run cld.loops --model docs/examples/delayed-discharge.model.json"
"$HOLON" run cld.loops --model docs/examples/delayed-discharge.model.json --out var/demo/loops
echo "== results written to var/demo/loops"
