#!/usr/bin/env bash
# A Holon cluster on one machine, to try before deploying one (docs/operations.md, "Three hosts
# behind haproxy"): a throwaway PostgreSQL cluster (.ci/postgres.sh), three `holon serve` hosts on
# loopback ports sharing it, and haproxy with docs/examples/haproxy.cfg (only its ports changed)
# in front of them. Through the balancer it creates a workspace, stores docs/examples/SIR.xmile,
# posts a 200-point sweep of the contact infectivity as a batch and nine single runs, follows
# them to the end and prints which host ran what. Everything it starts is stopped when it ends
# (or fails, or is interrupted), and everything it writes is under scratch/cluster-demo/.
#   bash .ci/cluster-demo.sh            (after the build; needs postgresql, haproxy, curl, jq)
# HOLON_DEMO_PORT: the balancer's port (the hosts take the next three); default: a free block.
set -euo pipefail
cd "$(dirname "$0")/.."
HOLON_BIN=${HOLON_BIN:-build/release/bin/holon}
for tool in curl jq haproxy; do
  command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin
  command -v "$tool" >/dev/null || { echo "cluster-demo: $tool is missing (bash .ci/setup.sh installs it)" >&2; exit 1; }
done
[ -x "$HOLON_BIN" ] || { echo "cluster-demo: $HOLON_BIN is missing: build first (bash .ci/setup.sh release)" >&2; exit 1; }

DIR=$PWD/scratch/cluster-demo
rm -rf "$DIR/host1" "$DIR/host2" "$DIR/host3"
mkdir -p "$DIR"
export HOLON_POSTGRES_DIR=$DIR/postgres
PIDS=()
stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  bash .ci/postgres.sh stop 2>>"$DIR/postgres.log" || true
}
trap stop_all EXIT

# Four free loopback ports in a row: the balancer's and the three hosts'.
port_free() { ! (: <>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
BASE=${HOLON_DEMO_PORT:-}
while [ -z "$BASE" ]; do
  # Below Linux's ephemeral range (32768-60999), where the servers the tests start on port 0
  # land: a port found free here stays free until the demo binds it.
  candidate=$((20000 + RANDOM % 12000))
  port_free "$candidate" && port_free $((candidate + 1)) && port_free $((candidate + 2)) &&
    port_free $((candidate + 3)) && BASE=$candidate
done

echo "== PostgreSQL (a throwaway cluster in scratch/cluster-demo/postgres)"
SERVER=$(bash .ci/postgres.sh 2>"$DIR/postgres.log") || { cat "$DIR/postgres.log" >&2; exit 1; }
STORE=${SERVER/\/holon_test\?//holon_demo?}
psql -X -q "$SERVER" -c "DROP DATABASE IF EXISTS holon_demo WITH (FORCE)" -c "CREATE DATABASE holon_demo" 2>>"$DIR/postgres.log"
echo "   $STORE"

ADMIN=demo-admin-token-0123456789abcdef
# wait_ready URL PID LOG: until URL/readyz answers 200; fails at once, with the log, if PID exits.
wait_ready() {
  for _ in $(seq 300); do
    curl -sf "$1/readyz" >/dev/null && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.2
  done
  echo "cluster-demo: $1 did not become ready; the end of $3:" >&2
  tail -n 20 "$3" >&2
  exit 1
}
echo "== three hosts"
# Batch outputs in one folder all hosts share (a folder they all mount, in a real deployment).
rm -rf "$DIR/batches"
SHARED=()
if "$HOLON_BIN" serve --help | grep -q -- --batches; then SHARED=(--batches "$DIR/batches"); fi
for i in 1 2 3; do
  HOLON_ADMIN_TOKEN=$ADMIN HOLON_WORKERS=2 HOLON_LOG_REQUESTS=false \
    "$HOLON_BIN" serve --store "$STORE" --data "$DIR/host$i" --listen "127.0.0.1:$((BASE + i))" "${SHARED[@]}" \
    >"$DIR/host$i.log" 2>&1 &
  PIDS+=($!)
done
for i in 1 2 3; do
  wait_ready "http://127.0.0.1:$((BASE + i))" "${PIDS[$((i - 1))]}" "$DIR/host$i.log"
  echo "   host$i  http://127.0.0.1:$((BASE + i))"
done

echo "== haproxy (docs/examples/haproxy.cfg, ports changed)"
sed -e "s/127.0.0.1:8080/127.0.0.1:$BASE/" -e "s/127.0.0.1:8081/127.0.0.1:$((BASE + 1))/" \
    -e "s/127.0.0.1:8082/127.0.0.1:$((BASE + 2))/" -e "s/127.0.0.1:8083/127.0.0.1:$((BASE + 3))/" \
    docs/examples/haproxy.cfg >"$DIR/haproxy.cfg"
haproxy -f "$DIR/haproxy.cfg" >"$DIR/haproxy.log" 2>&1 &
PIDS+=($!)
HOLON=http://127.0.0.1:$BASE
wait_ready "$HOLON" "${PIDS[3]}" "$DIR/haproxy.log"
# Wait until haproxy's health checks have put all three hosts in the rotation.
sleep 2
echo "   $HOLON"

echo "== a workspace, a model and a sweep, through the balancer"
auth() { echo "Authorization: Bearer $1"; }
WS=$(curl -sS --fail-with-body -X POST "$HOLON/v1/workspaces" -H "$(auth $ADMIN)" \
     -H 'Content-Type: application/json' -d '{"name":"cluster demo"}' | jq -er .id)
TOKEN=$(curl -sS --fail-with-body -X POST "$HOLON/v1/workspaces/$WS/tokens" -H "$(auth $ADMIN)" \
        -H 'Content-Type: application/json' -d '{"role":"editor"}' | jq -er .token)
SIR=$(curl -sS --fail-with-body -X POST "$HOLON/v1/workspaces/$WS/models" -H "$(auth "$TOKEN")" \
      -H 'Content-Type: application/xml' --data-binary @docs/examples/SIR.xmile | jq -er .id)
cat >"$DIR/sweep.yaml" <<YAML
version: holon-batch/1
name: cluster demo sweep
inputs:
  sir: {model_id: $SIR}
steps:
  - name: sweep
    method: sd.simulate
    input: sir
    sweep:
      grid:
        - {name: overrides.contact_infectivity, from: 0.1, to: 0.4, count: 200}
    outcomes:
      - {name: peak, variable: infectious, kind: max}
YAML
BATCH=$(curl -sS --fail-with-body -X POST "$HOLON/v1/workspaces/$WS/batches" -H "$(auth "$TOKEN")" \
        -H 'Content-Type: application/yaml' --data-binary @"$DIR/sweep.yaml" | jq -er .id)
echo "   batch $BATCH (200 points)"
RUNS=()
for i in $(seq 9); do
  RUNS+=("$(curl -sS --fail-with-body -X POST "$HOLON/v1/workspaces/$WS/runs" -H "$(auth "$TOKEN")" \
            -H 'Content-Type: application/json' \
            -d "{\"method\":\"sd.simulate\",\"model\":\"$SIR\",\"params\":{\"overrides\":{\"duration\":$((2 + i))}}}" | jq -er .id)")
done
echo "   9 single runs"

echo "== following them to the end"
deadline=$((SECONDS + 120))
while :; do
  batch=$(curl -sS --fail-with-body "$HOLON/v1/workspaces/$WS/batches/$BATCH" -H "$(auth "$TOKEN")")
  state=$(jq -r .state <<<"$batch")
  echo "   batch $state: $(jq -r '"\(.progress * 100 | floor) % (\(.stage))"' <<<"$batch")"
  case "$state" in succeeded | failed | cancelled) break ;; esac
  [ "$SECONDS" -lt "$deadline" ] || { echo "the batch did not end within 120 s" >&2; exit 1; }
  sleep 1
done
[ "$state" = succeeded ] || { echo "the batch $state: $batch" >&2; exit 1; }
for run in "${RUNS[@]}"; do
  until jq -e '.state == "succeeded" or .state == "failed" or .state == "cancelled"' >/dev/null \
        <<<"$(curl -sS --fail-with-body "$HOLON/v1/workspaces/$WS/runs/$run" -H "$(auth "$TOKEN")")"; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "run $run did not end within 120 s" >&2; exit 1; }
    sleep 0.2
  done
done
# Through the balancer; a Holon without a shared batches folder has the files on one host only.
for url in "$HOLON" "http://127.0.0.1:$((BASE + 1))" "http://127.0.0.1:$((BASE + 2))" "http://127.0.0.1:$((BASE + 3))"; do
  curl -sf "$url/v1/workspaces/$WS/batches/$BATCH/file?path=steps/sweep/summary.csv" -H "$(auth "$TOKEN")" \
       -o "$DIR/summary.csv" && break
done
echo "   the sweep's summary: scratch/cluster-demo/summary.csv ($(($(wc -l <"$DIR/summary.csv") - 1)) points)"

echo "== who ran what (the runs each host's log says it finished, by method)"
# holon.batch: the batch itself; holon.batch-chunk: a share of its points; sd.simulate: single runs.
for i in 1 2 3; do
  echo "   host$i: $(jq -Rsr '[split("\n")[] | fromjson? | select(.msg == "run finished") | .method]
                        | group_by(.) | map("\(length) \(.[0])") | join(", ") | if . == "" then "nothing" else . end' \
                    "$DIR/host$i.log")"
done
echo "== done; stopping the hosts, haproxy and PostgreSQL"
