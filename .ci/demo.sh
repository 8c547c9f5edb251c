#!/usr/bin/env bash
# Sets everything up and runs the main job: the Holon REST server on an embedded SQLite store
# (data in ./var/demo), with a demo workspace holding a few example models. Runs in the
# foreground until Ctrl-C (which stops the server cleanly). Run it again at any time: the data
# folder is kept and the demo workspace is only created once.
# Environment: HOLON_LISTEN (default 127.0.0.1:8080), HOLON_DEMO_DATA (default var/demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh release
HOLON="$PWD/build/release/bin/holon"
LISTEN="${HOLON_LISTEN:-127.0.0.1:8080}"
DATA="${HOLON_DEMO_DATA:-$PWD/var/demo}"
URL="http://$LISTEN"
mkdir -p "$DATA"

echo "== plugins"
"$HOLON" plugins

echo "== starting holon serve on $URL (data in $DATA)"
"$HOLON" serve --listen "$LISTEN" --data "$DATA" &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' INT TERM
for _ in $(seq 1 100); do
  curl -fsS "$URL/readyz" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { echo "holon serve did not start" >&2; exit 1; }
  sleep 0.1
done
ADMIN="$(cat "$DATA/admin-token")"
auth=(-H "Authorization: Bearer $ADMIN")

if [ ! -f "$DATA/demo-workspace" ]; then
  echo "== creating the demo workspace"
  WS=$(curl -fsS -X POST "$URL/v1/workspaces" "${auth[@]}" -H 'Content-Type: application/json' \
        -d '{"name":"demo"}' | jq -r .id)
  upload() { # file content-type
    curl -fsS -X POST "$URL/v1/workspaces/$WS/models" "${auth[@]}" -H "Content-Type: $2" \
         --data-binary "@$1" | jq -r '"   model \(.id) from '"$(basename "$1")"'"'
  }
  upload docs/examples/delayed-discharge.model.json application/json
  upload docs/examples/somewhereland.model.json application/json
  upload docs/examples/SIR.xmile application/xml
  upload docs/examples/riverside-integrated-care.model.json application/json
  upload docs/examples/prison-inquiry.model.json application/json
  upload docs/examples/elm-street-ltn.model.json application/json
  echo "$WS" > "$DATA/demo-workspace"
fi
WS="$(cat "$DATA/demo-workspace")"

cat <<MSG

Holon is serving at $URL  (OpenAPI: $URL/v1/openapi.json)
Web console: $URL/console  (sign in with the admin token)
Admin token: $DATA/admin-token
Demo workspace: $WS   (list its models: curl -H "Authorization: Bearer \$(cat $DATA/admin-token)" $URL/v1/workspaces/$WS/models)
Walk-through: docs/rest.md.  Stop with Ctrl-C.
MSG
wait $SERVER
