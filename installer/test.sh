#!/usr/bin/env bash
# installer/test.sh [PYTEST ARGS…] — installs what is missing, starts PostgreSQL/PostGIS and
# Mosquitto, then runs ruff, import-linter and the whole pytest suite. Idempotent.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export QT_QPA_PLATFORM=offscreen

# --- PostgreSQL + PostGIS ---------------------------------------------------------------
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  apt_install postgresql
fi
PG_VERSION="$(pg_lsclusters -h | awk 'NR==1{print $1}')"
if [ -z "$PG_VERSION" ]; then
  PG_VERSION="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  say "creating PostgreSQL $PG_VERSION cluster"
  as_root pg_createcluster "$PG_VERSION" main >/dev/null
fi
apt_install "postgresql-$PG_VERSION-postgis-3" mosquitto xvfb
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main"{print $4}' | grep -q online; then
  say "starting PostgreSQL $PG_VERSION"
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
fi
psql_admin() { as_root runuser -u postgres -- psql -qAtX "$@"; }
for _ in $(seq 1 30); do psql_admin -c 'select 1' >/dev/null 2>&1 && break; sleep 1; done
PG_DB="${ZHIWANG_TEST_DB:-zhiwang_test}"
if [ "$(psql_admin -c "select 1 from pg_roles where rolname='zhiwang'")" != 1 ]; then
  psql_admin -c "CREATE ROLE zhiwang LOGIN PASSWORD 'zhiwang' CREATEDB"
fi
# The application role workstations connect as: owns nothing, no BYPASSRLS (gis_core.security.rls).
if [ "$(psql_admin -c "select 1 from pg_roles where rolname='zhiwang_app'")" != 1 ]; then
  psql_admin -c "CREATE ROLE zhiwang_app LOGIN PASSWORD 'zhiwang_app' NOSUPERUSER NOBYPASSRLS"
fi
if [ "$(psql_admin -c "select 1 from pg_database where datname='$PG_DB'")" != 1 ]; then
  say "creating test database $PG_DB"
  psql_admin -c "CREATE DATABASE $PG_DB OWNER zhiwang"
fi
# PostGIS is not a trusted extension: only a superuser may create it. Putting it in template1
# gives every database the tests create (as the non-superuser zhiwang role) PostGIS already.
psql_admin -d template1 -c "CREATE EXTENSION IF NOT EXISTS postgis"
psql_admin -d "$PG_DB" -c "CREATE EXTENSION IF NOT EXISTS postgis"
# Row-level security (gis_core/security/rls.py) keeps operators that are not LEAKPROOF out of index
# scans; PostGIS's && only compares boxes, so mark it leakproof: viewports then use the GiST index.
for db in template1 "$PG_DB"; do psql_admin -d "$db" -c "ALTER FUNCTION geometry_overlaps(geometry, geometry) LEAKPROOF"; done
export ZHIWANG_TEST_PG="${ZHIWANG_TEST_PG:-postgresql://zhiwang:zhiwang@127.0.0.1:5432/$PG_DB}"

# --- Mosquitto --------------------------------------------------------------------------
if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  say "starting Mosquitto on 127.0.0.1:1883 with installer/mosquitto-zhiwang.conf"
  mosquitto -d -c "$ROOT/installer/mosquitto-zhiwang.conf"
  for _ in $(seq 1 20); do (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && break; sleep 0.25; done
fi
export ZHIWANG_TEST_MQTT="${ZHIWANG_TEST_MQTT:-mqtt://127.0.0.1:1883}"

# --- Python environment and checks -----------------------------------------------------
ensure_venv
cd "$ROOT"
say "ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check . >/dev/null || { "$VENV/bin/ruff" format --diff . | head -50; exit 1; }
say "import-linter"
"$VENV/bin/lint-imports"
say "pytest"
exec "$VENV/bin/pytest" "$@"
