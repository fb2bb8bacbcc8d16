#!/bin/bash
# A throwaway PostgreSQL cluster for the tests and benchmarks: initdb in a
# temporary directory, listening on a loopback port only, trust
# authentication (nothing else can reach it), durability off (it is thrown away).
#
#   eval "$(tests/store_pg/pg-cluster.sh start DIR [PORT])"   # exports BANWATCH_TEST_PG_URL
#   tests/store_pg/pg-cluster.sh restart DIR                  # fault tests: the server goes away and comes back
#   tests/store_pg/pg-cluster.sh stop DIR                     # stops the server and removes DIR
#
# PostgreSQL refuses to run as root: as root the cluster belongs to the
# `postgres` system user (created by Debian's postgresql package); as any
# other user it belongs to that user. PG_BIN overrides /usr/lib/postgresql/15/bin.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
command=${1:-}
dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|restart|status DIR [PORT]" >&2; exit 2; }
[ -x "$PG_BIN/initdb" ] || { echo "$0: $PG_BIN/initdb not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  # The first port from 54329 up that nothing on 127.0.0.1 listens on.
  local p=54329
  while [ $p -lt 54400 ]; do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo $p; return 0; fi
    p=$((p + 1))
  done
  echo "$0: no free port in 54329-54399" >&2
  return 1
}

case "$command" in
  start)
    port=${3:-}
    if [ -f "$dir/port" ] && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      port=$(cat "$dir/port")
    else
      [ -n "$port" ] || port=$(free_port)
      mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
      chmod 700 "$dir"
      if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
          { cat "$dir/initdb.log" >&2; exit 1; }
      fi
      echo "$port" >"$dir/port"
      [ "$(id -u)" -eq 0 ] && chown postgres "$dir/port"
      as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
            -c log_min_messages=warning -c log_connections=off" start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
      as_owner "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt \
        -c "SELECT 1 FROM pg_database WHERE datname = 'banwatch_test'" | grep -q 1 ||
        as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres banwatch_test
    fi
    echo "export BANWATCH_TEST_PG_URL='postgresql://postgres@127.0.0.1:$port/banwatch_test'"
    echo "export BANWATCH_TEST_PG_DIR='$dir'"
    ;;
  restart)
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -m fast restart >/dev/null
    ;;
  status)
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -w -t 60 -m fast stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop|restart|status DIR [PORT]" >&2
    exit 2
    ;;
esac
