#!/usr/bin/env bash
# Starts the PostgreSQL server the tests of the PostgreSQL store use (Debian's postgresql package,
# its default cluster) and makes sure the database holon_test exists with a superuser role for
# the current user. Idempotent. Prints the connection string to use as HOLON_TEST_POSTGRES on
# stdout and nothing else: the tools it calls talk on stderr (pg_ctlcluster prints "Removed stale
# pid file." on stdout when a machine was stopped without shutting the server down).
set -euo pipefail
uri="postgresql:///holon_test?host=/var/run/postgresql"
{
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  $SUDO pg_createcluster "$version" main
fi
if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
  $SUDO pg_ctlcluster "$version" main start
fi
me=$(id -un)
as_postgres() { if [ -z "$SUDO" ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
if ! as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$me'" | grep -q 1; then
  as_postgres createuser --superuser "$me"
fi
if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'holon_test'" | grep -q 1; then
  createdb holon_test
fi
# Proves the server answers on the address printed, so a broken setup fails here, not in 300 tests.
psql -X -w "$uri" -tAc "SELECT 1" >/dev/null
} >&2
echo "$uri"
