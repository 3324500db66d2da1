#!/usr/bin/env bash
# Starts the local PostgreSQL cluster (Debian packaging) and makes sure the test role and
# database exist. Prints the SQLAlchemy URL for GKASSIST_TEST_PG_URL on stdout.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
read -r version cluster _ < <(pg_lsclusters -h | head -n 1)
if [ -z "${version:-}" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
  cluster=main
  $SUDO pg_createcluster "$version" "$cluster" >/dev/null
fi
$SUDO pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || true   # already running is fine
port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $3}')
psql_su() { $SUDO runuser -u postgres -- psql -p "$port" -qtAX "$@"; }
for _ in $(seq 1 50); do psql_su -c "select 1" >/dev/null 2>&1 && break; sleep 0.2; done
if [ "$(psql_su -c "select 1 from pg_roles where rolname='gkassist'")" != "1" ]; then
  psql_su -c "create role gkassist login password 'gkassist'" >/dev/null
fi
if [ "$(psql_su -c "select 1 from pg_database where datname='gkassist_test'")" != "1" ]; then
  psql_su -c "create database gkassist_test owner gkassist" >/dev/null
fi
echo "postgresql+psycopg://gkassist:gkassist@127.0.0.1:${port}/gkassist_test"
