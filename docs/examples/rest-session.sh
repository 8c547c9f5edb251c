# A local REST server for the REST examples of the method pages, in one line:
#     . docs/examples/rest-session.sh
# from the repository root after the build. It starts build/release/bin/holon serve on
# 127.0.0.1:${HOLON_DOCS_PORT:-8080} with its data folder under scratch/, waits until it is ready,
# creates a workspace and an editor token for it, and sets
#     HOLON   the server's URL         WS      the workspace id
#     TOKEN   the editor token         SERVER  the server's process id (`kill $SERVER` stops it)
#     DATA    its data folder (scratch/rest-session-PORT)
# docs/rest.md walks through the same steps one by one. CC0 (see rest-session.sh.LICENSE).
mkdir -p scratch
_holon_port=${HOLON_DOCS_PORT:-8080}
DATA=scratch/rest-session-$_holon_port
build/release/bin/holon serve --data "$DATA" --listen "127.0.0.1:$_holon_port" \
    > "$DATA.log" 2>&1 &
SERVER=$!
HOLON=http://127.0.0.1:$_holon_port
curl -sS --fail-with-body --retry 30 --retry-connrefused --retry-delay 1 "$HOLON/readyz" > /dev/null
_holon_admin=$(cat "$DATA/admin-token")
WS=$(curl -sS --fail-with-body -X POST "$HOLON/v1/workspaces" -H "Authorization: Bearer $_holon_admin" \
      -H 'Content-Type: application/json' -d '{"name":"docs"}' | jq -er .id)
TOKEN=$(curl -sS --fail-with-body -X POST "$HOLON/v1/workspaces/$WS/tokens" \
      -H "Authorization: Bearer $_holon_admin" -H 'Content-Type: application/json' \
      -d '{"role":"editor","expires_in":86400}' | jq -er .token)
unset _holon_port _holon_admin
echo "holon serve at $HOLON (pid $SERVER), workspace $WS; stop it with: kill \$SERVER"
