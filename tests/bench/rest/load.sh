#!/bin/sh
# Load check of `holon serve` with wrk (Debian package `wrk`): 64 connections on GET of a model,
# of a run's status and of /livez (the server's ceiling). Prints requests/s, p99 latency and
# errors per target; exits 1 if any request failed. Not part of ctest.
#   tests/bench/rest/load.sh [BUILD_DIR]    DURATION=60s CONNECTIONS=64 THREADS=2 to change
set -eu
BUILD=${1:-build/release}
DURATION=${DURATION:-60s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-18099}
HOLON="$BUILD/bin/holon"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
DATA=$(mktemp -d)
ADMIN=load-test-admin-token-0123456789
HOLON_ADMIN_TOKEN=$ADMIN HOLON_LOG_REQUESTS=false "$HOLON" serve --listen 127.0.0.1:$PORT --data "$DATA" \
    --plugin-path "$BUILD/test-plugins/echo" >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
URL=http://127.0.0.1:$PORT
for _ in $(seq 100); do curl -sf $URL/livez >/dev/null && break; sleep 0.1; done
H="Authorization: Bearer $ADMIN"
WS=$(curl -sf -X POST $URL/v1/workspaces -H "$H" -H 'Content-Type: application/json' -d '{"name":"load"}' | sed 's/.*"id":"\([^"]*\)".*/\1/')
MODEL=$(curl -sf -X POST $URL/v1/workspaces/$WS/models -H "$H" -H 'Content-Type: application/json' \
    --data-binary @"$(dirname "$0")/../../../schemas/examples/sir-epidemic.model.json" | sed 's/.*"id":"\([^"]*\)".*/\1/')
RUN=$(curl -sf -X POST "$URL/v1/workspaces/$WS/runs?wait=30" -H "$H" -H 'Content-Type: application/json' \
    -d "{\"method\":\"fixture.echo.run\",\"model\":\"$MODEL\"}" | sed 's/.*"id":"\(run_[^"]*\)".*/\1/')
STATUS=0
for target in "/livez" "/v1/workspaces/$WS/models/$MODEL" "/v1/workspaces/$WS/runs/$RUN"; do
    OUT=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$H" "$URL$target")
    RPS=$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')
    P99=$(echo "$OUT" | awk '$1 == "99%" {print $2}')
    ERRORS=$(echo "$OUT" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
    echo "GET $target: ${RPS} req/s, p99 ${P99}${ERRORS:+, errors: $ERRORS}"
    [ -z "$ERRORS" ] || STATUS=1
done
exit $STATUS
