#!/usr/bin/env bash
# Runs ctest in a build tree with a throwaway PostgreSQL cluster, so the
# PostgreSQL store tests run wherever the server is installed (make deps
# installs it); without one they skip. An already exported
# BANWATCH_TEST_PG_URL is used as it is.
#   tests/run-ctest.sh BUILD_DIR [ctest arguments...]
set -uo pipefail
build=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
pgdir=/tmp/banwatch-pg-$$
started=
if [ -z "${BANWATCH_TEST_PG_URL:-}" ]; then
  if env=$("$root/tests/store_pg/pg-cluster.sh" start "$pgdir" 2>"/tmp/banwatch-pg-$$.log"); then
    eval "$env"
    started=1
  else
    echo "note: no PostgreSQL cluster could be started ($(tail -1 /tmp/banwatch-pg-$$.log)); the PostgreSQL store tests will skip" >&2
  fi
  rm -f "/tmp/banwatch-pg-$$.log"
fi
ctest --test-dir "$build" "$@"
rc=$?
[ -z "$started" ] || "$root/tests/store_pg/pg-cluster.sh" stop "$pgdir" >/dev/null 2>&1
exit $rc
