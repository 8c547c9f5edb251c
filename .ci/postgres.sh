#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests of the PostgreSQL store (issue 20): initdb and
# pg_ctl in a folder of its own, run as an unprivileged user (the `postgres` system user that
# Debian's package creates when this runs as root, as in CI; otherwise the calling user), listening
# on a socket folder of its own and a free loopback port. The machine's own clusters (Debian's
# `main`) are never touched.
#
#   bash .ci/postgres.sh          starts the cluster, or finds it running; makes sure the calling
#                                 user has a superuser role and the database holon_test exists;
#                                 prints the connection string (HOLON_TEST_POSTGRES) on stdout and
#                                 nothing else
#   bash .ci/postgres.sh restart  pg_ctl restart -m fast (for tests that restart the database)
#   bash .ci/postgres.sh stop     stops the cluster and deletes its folder
#
# The folder is ${TMPDIR:-/tmp}/holon-postgres-<user>, or HOLON_POSTGRES_DIR (to run several side
# by side). Authentication: trust on its unix socket for the calling user only (the socket folder
# is the cluster owner's, mode 0700); TCP on 127.0.0.1 wants a password, and no role has one.
# The cluster's default collation is ICU's en-US (HOLON_POSTGRES_ICU_LOCALE), like a production
# database made on an en_US machine: text sorts linguistically ('a' < 'B'), not by bytes.
set -euo pipefail
me=$(id -un)
dir=${HOLON_POSTGRES_DIR:-${TMPDIR:-/tmp}/holon-postgres-$me}
case "$dir" in /*) ;; *) dir=$PWD/$dir ;; esac  # the tools run as its owner from /
# The socket folder sits apart, at a short path: a unix socket's path may not exceed 107 bytes,
# which a folder deep in a checkout (the docs' scratch copies) easily does.
sock=${TMPDIR:-/tmp}/holon-pg-$(printf '%s' "$dir" | cksum | cut -d' ' -f1)
command=${1:-start}
case "$command" in start | restart | stop) ;; *) echo "usage: $0 [start|restart|stop]" >&2; exit 2 ;; esac

version=15
[ -x "/usr/lib/postgresql/$version/bin/initdb" ] || version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)
bin=/usr/lib/postgresql/$version/bin
[ -x "$bin/initdb" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

# The cluster's files and processes belong to an unprivileged user: postgres when we are root.
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
  owner=$me
  as_owner() { "$@"; }
fi

# Every tool's output goes to stderr; the server's goes to its log file and never holds on to our
# stdout or stderr (a caller reading them through a pipe, as $(...) does, would wait for it).
exec 3>&1 1>&2
# One caller at a time per folder (two test runs starting together share one cluster).
exec 9>"$dir.lock"
flock 9

# The server inherits pg_ctl's descriptors: not the lock (9) nor the caller's stdout (3).
pg_ctl_() { as_owner "$bin/pg_ctl" -D "$dir/data" "$@" </dev/null 3>&- 9>&-; }
running() { [ -f "$dir/data/PG_VERSION" ] && pg_ctl_ status >/dev/null 2>&1; }

if [ "$command" = stop ]; then
  if running; then pg_ctl_ -m fast -w -t 60 stop; fi
  rm -rf "$dir" "$sock"
  exit 0
fi
if [ "$command" = restart ]; then
  running || { echo "postgres.sh: no cluster is running in $dir" >&2; exit 1; }
  pg_ctl_ -l "$dir/log" -m fast -w -t 60 restart
  exit 0
fi

if [ ! -f "$dir/data/PG_VERSION" ]; then
  rm -rf "$dir"
  mkdir -m 700 "$dir"
  [ "$owner" = "$me" ] || chown "$owner:" "$dir"
  as_owner test -w "$dir" || { echo "postgres.sh: $owner cannot write $dir (set TMPDIR or HOLON_POSTGRES_DIR to a folder it can reach)" >&2; exit 1; }
  # The bootstrap superuser is the calling user's role (root in CI), so no other role is needed.
  as_owner "$bin/initdb" -D "$dir/data" -U "$me" -E UTF8 --locale=C.UTF-8 --locale-provider=icu \
    --icu-locale="${HOLON_POSTGRES_ICU_LOCALE:-en-US}" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  printf '%s\n' "local all $me trust" "host all all 127.0.0.1/32 scram-sha-256" | as_owner tee "$dir/data/pg_hba.conf" >/dev/null
  echo "include = 'holon.conf'" | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
fi

port_file="$dir/data/holon.conf"
settings() {  # PORT -> the settings this script owns
  printf '%s\n' "port = $1" "listen_addresses = '127.0.0.1'" "unix_socket_directories = '$sock'" \
    "max_connections = 200" | as_owner tee "$port_file" >/dev/null
}
# A server that is going away (killed a moment ago) still counts as running: wait until it either
# answers or is gone.
for _ in $(seq 30); do
  running || break
  port=$(sed -n 's/^port = //p' "$port_file")
  as_owner "$bin/pg_isready" -q -h "$sock" -p "$port" && break
  sleep 1
done
# Running but not answering where this script expects it (settings of an older script): restart.
if running && ! as_owner "$bin/pg_isready" -q -h "$sock" -p "$(sed -n 's/^port = //p' "$port_file")"; then
  pg_ctl_ -m fast -w -t 60 stop >/dev/null || true
fi
if ! running; then
  [ -d "$sock" ] || as_owner mkdir -m 700 "$sock"
  started=0
  for _ in $(seq 20); do
    # Below Linux's ephemeral range (32768-60999), where ports bound to 0 land.
    port=$((20000 + RANDOM % 12000))
    # Something answers on it: taken (bash's /dev/tcp, so no ss or netstat is needed).
    if (: <>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    settings "$port"
    if pg_ctl_ -l "$dir/log" -w -t 60 start >/dev/null; then started=1; break; fi
    # Another program took the port between the look and the start: try another one.
    tail -n 5 "$dir/log" | grep -q "could not bind\|could not create any TCP/IP sockets" || break
  done
  if [ "$started" != 1 ]; then
    echo "postgres.sh: the cluster in $dir did not start; the end of $dir/log:" >&2
    tail -n 20 "$dir/log" >&2
    exit 1
  fi
fi
port=$(sed -n 's/^port = //p' "$port_file")
admin="postgresql:///postgres?host=$sock&port=$port"
if ! psql -X -w "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = 'holon_test'" | grep -q 1; then
  psql -X -w -q "$admin" -c "CREATE DATABASE holon_test"
fi
uri="postgresql:///holon_test?host=$sock&port=$port"
# Proves the server answers on the address printed, so a broken setup fails here, not in 300 tests.
psql -X -w "$uri" -tAc "SELECT 1" >/dev/null
echo "$uri" >&3
