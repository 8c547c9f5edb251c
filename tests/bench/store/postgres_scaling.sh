#!/usr/bin/env bash
# PostgreSQL store figures (issue 20), in one run on this machine, not part of ctest:
#  1. runs claimed and finished per second by 1 host and by 3 hosts sharing one PostgreSQL
#     database (RUNS runs of the echo fixture with no work, queued at once into the database while
#     the hosts are idle, each host with WORKERS workers: the claim/lease/finish path end to end, runner round trip included);
#  2. small-GET throughput (GET a run, wrk, CONNECTIONS connections for DURATION) of one host on
#     PostgreSQL as a ratio of the same host on its SQLite file.
#   tests/bench/store/postgres_scaling.sh [BUILD_DIR]
# Needs the PostgreSQL server .ci/postgres.sh starts (HOLON_TEST_POSTGRES, or that script's
# default) and wrk. Creates and drops a scratch database of its own.
set -euo pipefail
BUILD=${1:-build/release}
RUNS=${RUNS:-300}
WORKERS=${WORKERS:-2}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
HOLON="$BUILD/bin/holon"
SERVER=${HOLON_TEST_POSTGRES:-$(bash "$(dirname "$0")/../../../.ci/postgres.sh")}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
ADMIN=bench-admin-token-0123456789abcdef
DB=holon_bench_$$
URI=$(echo "$SERVER" | sed "s#^\(postgres[a-z]*://[^/?]*\)/[^?]*#\1/$DB#")
WORK=$(mktemp -d)
PIDS=()
stop_hosts() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; PIDS=(); }
cleanup() { stop_hosts; psql -X -q "$SERVER" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
fresh_db() { PGOPTIONS="-c client_min_messages=warning" psql -X -q "$SERVER" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null; }

# start_host NAME PORT [STORE]: one `holon serve`, waits until it answers.
start_host() {
    mkdir -p "$WORK/$1"
    local store_args=()
    [ -n "${3:-}" ] && store_args=(--store "$3")
    HOLON_ADMIN_TOKEN=$ADMIN HOLON_LOG_REQUESTS=false HOLON_WORKERS=$WORKERS HOLON_LIMITS_RUNS_IN_FLIGHT=100000 \
        "$HOLON" serve --listen 127.0.0.1:"$2" --data "$WORK/$1" "${store_args[@]}" \
        --plugin-path "$BUILD/test-plugins/echo" >"$WORK/$1.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 200); do curl -sf "http://127.0.0.1:$2/livez" >/dev/null && return; sleep 0.05; done
    echo "host $1 did not start:" >&2; cat "$WORK/$1.log" >&2; exit 1
}
H="Authorization: Bearer $ADMIN"
json_id() { sed 's/.*"id":"\([^"]*\)".*/\1/'; }
setup_workspace() {  # URL -> sets WS, MODEL
    WS=$(curl -sf -X POST "$1/v1/workspaces" -H "$H" -H 'Content-Type: application/json' -d '{"name":"bench"}' | json_id)
    MODEL=$(curl -sf -X POST "$1/v1/workspaces/$WS/models" -H "$H" -H 'Content-Type: application/json' \
        --data-binary @"$(dirname "$0")/../../../schemas/examples/sir-epidemic.model.json" | json_id)
}
count_state() { psql -X -tA "$URI" -c "SELECT COUNT(*) FROM runs WHERE state = '$1'"; }

# 1. Claims per second with 1 and 3 hosts.
claims() {
    local hosts=$1
    fresh_db
    start_host seed 18301 "$URI"
    setup_workspace http://127.0.0.1:18301
    stop_hosts
    for i in $(seq "$hosts"); do start_host "h$i" $((18310 + i)) "$URI"; done
    # Queue RUNS runs straight into the database in one transaction, and wake the idle hosts as
    # the store does (NOTIFY): the measurement is claims, runs and finishes, not REST POSTs.
    local start end
    start=$(date +%s.%N)
    psql -X -q "$URI" <<SQL
INSERT INTO runs (id, workspace_id, method, model_id, model_revision, params_json, limits_json, state, progress, stage,
                  cancel_requested, attempts, max_attempts, created_at, updated_at)
SELECT 'run_bench' || lpad(g::text, 6, '0'), '$WS', 'fixture.echo.run', '$MODEL', 1, '{}', '{}', 'queued', 0, '', 0, 0, 3,
       (extract(epoch from now()) * 1000)::bigint + g, (extract(epoch from now()) * 1000)::bigint + g
FROM generate_series(1, $RUNS) AS g;
INSERT INTO run_events (run_id, seq, workspace_id, type, data_json, created_at)
SELECT id, 1, workspace_id, 'state', '{"state":"queued"}', created_at FROM runs WHERE id LIKE 'run_bench%';
NOTIFY holon_run_queued;
SQL
    while [ "$(count_state succeeded)" -lt "$RUNS" ]; do
        [ "$(count_state failed)" -eq 0 ] || { echo "runs failed:" >&2; psql -X "$URI" -c "SELECT error_json FROM runs WHERE state='failed' LIMIT 3" >&2; exit 1; }
        sleep 0.05
    done
    end=$(date +%s.%N)
    stop_hosts
    echo "$RUNS $start $end" | awk '{printf "%.1f", $1 / ($3 - $2)}'
}
ONE=$(claims 1)
THREE=$(claims 3)
echo "claims (runs claimed, run and finished) per second, $RUNS runs, $WORKERS workers a host: 1 host $ONE/s, 3 hosts $THREE/s ($(echo "$THREE $ONE" | awk '{printf "%.2f", $1 / $2}')x)"

# 2. Small GETs: one host on SQLite, then one host on PostgreSQL.
get_rate() {  # URL -> requests/s of GET a run
    setup_workspace "$1"
    local run
    run=$(curl -sf -X POST "$1/v1/workspaces/$WS/runs?wait=30" -H "$H" -H 'Content-Type: application/json' \
        -d "{\"method\":\"fixture.echo.run\",\"model\":\"$MODEL\"}" | sed 's/.*"id":"\(run_[^"]*\)".*/\1/')
    local out
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -H "$H" "$1/v1/workspaces/$WS/runs/$run")
    if echo "$out" | grep -q "Non-2xx\|Socket errors"; then echo "wrk errors: $out" >&2; exit 1; fi
    echo "$out" | awk '/Requests\/sec/ {print $2}'
}
start_host sqlite 18320
SQLITE_RPS=$(get_rate http://127.0.0.1:18320)
stop_hosts
fresh_db
start_host pg 18321 "$URI"
PG_RPS=$(get_rate http://127.0.0.1:18321)
stop_hosts
echo "GET a run ($CONNECTIONS connections, $DURATION): SQLite $SQLITE_RPS req/s, PostgreSQL $PG_RPS req/s (PostgreSQL/SQLite $(echo "$PG_RPS $SQLITE_RPS" | awk '{printf "%.2f", $1 / $2}'))"
echo "machine: $(nproc) cores; PostgreSQL $(psql -X -tA "$SERVER" -c 'SHOW server_version')"
