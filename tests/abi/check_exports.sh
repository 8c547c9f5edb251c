#!/bin/sh
# Usage: check_exports.sh NM PLUGIN.so...
# Fails unless every plugin exports exactly one defined dynamic symbol: holon_plugin_entry.
set -eu
nm_tool=$1
shift
status=0
for plugin in "$@"; do
    symbols=$("$nm_tool" -D --defined-only "$plugin" | awk 'NF >= 3 { print $3 }' | sort)
    if [ "$symbols" = "holon_plugin_entry" ]; then
        echo "ok: $plugin exports only holon_plugin_entry"
    else
        echo "FAIL: $plugin exports:" >&2
        echo "$symbols" | sed 's/^/    /' >&2
        status=1
    fi
done
exit $status
