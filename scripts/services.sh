#!/usr/bin/env bash
# Installs and starts what the test suite talks to for real: PostgreSQL 15
# and headless Chromium. Idempotent; safe to run on a machine that already
# has both. Prints the exports the tests read.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# --- PostgreSQL -------------------------------------------------------------
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -d /etc/postgresql/15/main ]; then
  echo "services: installing postgresql" >&2
  apt_install postgresql
fi
if ! as_root pg_ctlcluster 15 main status >/dev/null 2>&1; then
  echo "services: starting postgresql 15/main" >&2
  as_root pg_ctlcluster 15 main start >&2
fi
for _ in $(seq 1 50); do
  if as_root su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
as_root su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='backplane'\"" | grep -q 1 ||
  as_root su postgres -c "psql -qc \"create role backplane login superuser password 'backplane'\"" >&2
as_root su postgres -c "psql -qtAc \"select 1 from pg_database where datname='backplane_test'\"" | grep -q 1 ||
  as_root su postgres -c "createdb -O backplane backplane_test" >&2

# --- Chromium ----------------------------------------------------------------
if ! command -v chromium >/dev/null 2>&1; then
  echo "services: installing chromium" >&2
  apt_install chromium
fi

echo "export BACKPLANE_TEST_POSTGRES_URL='postgres://backplane:backplane@127.0.0.1:5432/backplane_test?sslmode=disable'"
echo "export BACKPLANE_TEST_CHROMIUM='$(command -v chromium)'"
