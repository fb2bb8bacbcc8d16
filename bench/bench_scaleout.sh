#!/usr/bin/env bash
# Scale-out benchmark: 1, 2 and 4 `banwatch crawl --worker` processes crawl
# one generated site of HOSTS hosts (127.0.0.2 .., one nginx listening on
# each) through one PostgreSQL store, a fresh schema per run. nginx paces
# every response (limit_rate: a 4 KiB page takes ~100 ms), each worker runs
# fetch.concurrency=4 with a 100 ms per-host delay, so the point is how work
# spreads over the workers, not raw speed. Each worker holds at most
# ceil(HOSTS / workers) hosts (--max-hosts), so every worker gets a share.
# Every run is checked from nginx's access log (every article once, one
# worker per host at a time, the per-host delay; bench/scaleout_site.py check).
# Then bench_store appends STORE_EVENTS events to SQLite and to PostgreSQL
# and times the one-month digest query on each, in the same run.
#
# Target: 4 workers >= 3.5 x the articles/s of 1 worker, no host ever above
# its per-host rate.
#
# Prints, for bench/report.py:
#   SCALEOUT workers=<n> articles=<count> wall_s=<x> articles_per_s=<y> max_concurrent_per_host=<k> min_gap_ms=<g>
#   SCALEOUT ratio_2=<y2/y1> ratio_4=<y4/y1>
#   SCALEOUT_STORE backend=<sqlite|postgresql> events=<n> events_per_s=<x> query_ms=<median>
#
# usage: bench/bench_scaleout.sh [path/to/banwatch]
#   env: HOSTS=20 FEEDS=10 ITEMS=10 RATE=30k DELAY_MS=100 CONCURRENCY=4 WORKER_COUNTS="1 2 4"
#        DEFAULT_MAX_HOSTS=1 (also run 4 workers with the default --max-hosts 8, as a diagnosis)
#        STORE_EVENTS=100000 BENCH_STORE=path/to/bench_store KEEP=1
#        BANWATCH_TEST_PG_URL (else a throwaway cluster is started with tests/store_pg/pg-cluster.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
bin=$(realpath "${1:-${BANWATCH_BIN:-$repo/build/app/banwatch}}")
HOSTS=${HOSTS:-20}; FEEDS=${FEEDS:-10}; ITEMS=${ITEMS:-10}; RATE=${RATE:-30k}
DELAY_MS=${DELAY_MS:-100}; CONCURRENCY=${CONCURRENCY:-4}; WORKER_COUNTS=${WORKER_COUNTS:-1 2 4}
STORE_EVENTS=${STORE_EVENTS:-100000}
bench_store=${BENCH_STORE:-$(dirname "$bin")/../bench/bench_store}
command -v nginx >/dev/null || { echo "bench_scaleout: nginx not installed (apt-get install nginx-light)"; exit 1; }
[ -x "$bin" ] || { echo "bench_scaleout: banwatch binary not found at $bin"; exit 1; }
PSQL=$(command -v psql || echo /usr/lib/postgresql/15/bin/psql)

work=$(mktemp -d /tmp/banwatch-bench-scaleout.XXXXXX)
chmod 755 "$work"  # nginx's workers run as an unprivileged user
pg_started=
schemas=""
worker_pids=""
cleanup() {
  for pid in $worker_pids; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  if [ -n "${BANWATCH_TEST_PG_URL:-}" ] && [ -z "$pg_started" ] && [ "${KEEP:-0}" != 1 ]; then
    for s in $schemas; do psql_run -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1 || true; done
  fi
  [ -z "$pg_started" ] || "$repo/tests/store_pg/pg-cluster.sh" stop "$work/pg" >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [ -z "${BANWATCH_TEST_PG_URL:-}" ]; then
  eval "$("$repo/tests/store_pg/pg-cluster.sh" start "$work/pg")"
  pg_started=1
fi
psql_run() { PGOPTIONS="-c client_min_messages=warning" "$PSQL" "$BANWATCH_TEST_PG_URL" -v ON_ERROR_STOP=1 -qAtX "$@"; }
schema_url() {
  local sep='?'; case "$BANWATCH_TEST_PG_URL" in *\?*) sep='&';; esac
  echo "${BANWATCH_TEST_PG_URL}${sep}options=-csearch_path%3D$1"
}
fresh_schema() {  # sets $schema
  schema="bench_scaleout_$$_$1"
  psql_run -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
  schemas="$schemas $schema"
}

port=18490
while (exec 3<>"/dev/tcp/127.0.0.2/$port") 2>/dev/null; do port=$((port + 1)); done
articles=$(python3 "$here/scaleout_site.py" generate --out "$work" --port "$port" --hosts "$HOSTS" \
  --feeds "$FEEDS" --items "$ITEMS" --rate "$RATE" \
  --rules "$repo/rules" --delay-ms "$DELAY_MS" --concurrency "$CONCURRENCY")
nginx -p "$work" -c "$work/nginx.conf"
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.2:$port/robots.txt" && break; sleep 0.1; done
page_s=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.2:$port/a/h0/0-0.html")

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "banwatch: $bin ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown))"
echo "site: $HOSTS hosts x $FEEDS feeds x $ITEMS items = $articles articles; nginx limit_rate $RATE" \
     "(one page: ${page_s}s); fetch.concurrency=$CONCURRENCY, per-host delay ${DELAY_MS}ms"

bw() { "$bin" --config "$work/banwatch.yaml" -q "$@"; }

# run_workers N MAX_HOSTS LABEL: sets wall stored conc gap violations
run_workers() {
  local n=$1 max_hosts=$2 label=$3 url start end w
  fresh_schema "$label"
  url=$(schema_url "$schema")
  bw --db "$url" sources list >/dev/null  # register the sources before the workers start
  mv "$work/access.log" "$work/access-previous.log" 2>/dev/null || true
  kill -USR1 "$(cat "$work/nginx.pid")"
  for _ in $(seq 50); do [ -f "$work/access.log" ] && break; sleep 0.1; done
  start=$(date +%s.%N)
  worker_pids=""
  for w in $(seq "$n"); do
    # CPU time per worker (Debian's `time` package); without it the CPU line reads 0.
    timer=(); [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%U %S" -o "$work/$label-w$w.cpu")
    "${timer[@]}" "$bin" --config "$work/banwatch.yaml" -q --db "$url" \
      --set "fetch.user_agent=banwatch-w$w" crawl --worker "w$w" --max-hosts "$max_hosts" 2>"$work/$label-w$w.err" &
    worker_pids="$worker_pids $!"
  done
  for pid in $worker_pids; do wait "$pid" || echo "  note: a worker exited $? (see $work/$label-w*.err)" >&2; done
  worker_pids=""
  end=$(date +%s.%N)
  cp "$work/access.log" "$work/access-$label.log"
  stored=$(psql_run -c "SELECT count(*) FROM $schema.articles")
  python3 "$here/scaleout_site.py" check --json --log "$work/access-$label.log" --articles "$work/articles.txt" \
    --delay-ms "$DELAY_MS" --tolerance-ms 25 --workers "$n" >"$work/check-$label.json" || true
  cpu=$(cat "$work/$label"-w*.cpu 2>/dev/null | awk '{ s += $1 + $2 } END { printf "%.1f", s }')
  python3 - "$work/check-$label.json" "$start" "$end" "$stored" "$cpu" >"$work/result-$label" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
print(f"{wall:.2f} {sys.argv[4]} {r['max_concurrent_per_host']} {r['min_gap_ms']} {len(r['problems'])}")
span = r["log_span_ms"] / 1000
print(f"  nginx saw requests for {span:.2f} s (first request to last response): "
      f"{int(sys.argv[4]) / span:.1f} articles/s without the workers' start-up", file=sys.stderr)
print(f"  workers' CPU: {sys.argv[5]} s in all ({float(sys.argv[5]) * 1000 / max(1, int(sys.argv[4])):.1f} ms per article)",
      file=sys.stderr)
for w, d in r["workers"].items():
    print(f"  {w}: {d['hosts']} hosts, {d['articles']} articles, active {d['first_ms'] / 1000:.1f}-"
          f"{d['last_ms'] / 1000:.1f} s", file=sys.stderr)
for p in r["problems"][:10]:
    print(f"  VIOLATION: {p}", file=sys.stderr)
PY
  read -r wall stored conc gap violations <"$work/result-$label"
}

declare -A rate
for n in $WORKER_COUNTS; do
  max_hosts=$(( (HOSTS + n - 1) / n ))
  echo "run: $n worker(s), --max-hosts $max_hosts"
  run_workers "$n" "$max_hosts" "w$n"
  rate[$n]=$(python3 -c "print(f'{$stored / $wall:.1f}')")
  [ "$violations" = 0 ] || echo "  $violations violations of the scale-out checks (see above)"
  echo "SCALEOUT workers=$n articles=$stored wall_s=$wall articles_per_s=${rate[$n]}" \
       "max_concurrent_per_host=$conc min_gap_ms=$gap"
done
if [ -n "${rate[1]:-}" ] && [ -n "${rate[2]:-}" ] && [ -n "${rate[4]:-}" ]; then
  python3 -c "print(f'SCALEOUT ratio_2={${rate[2]} / ${rate[1]}:.2f} ratio_4={${rate[4]} / ${rate[1]}:.2f}')"
fi

if [ "${DEFAULT_MAX_HOSTS:-1}" = 1 ]; then
  # The same 4 workers with the default --max-hosts (8): how the claims split.
  echo "diagnosis: 4 workers, default --max-hosts 8"
  run_workers 4 8 "default"
  echo "  diagnosis: workers=4 max_hosts=8 articles=$stored wall_s=$wall" \
       "articles_per_s=$(python3 -c "print(f'{$stored / $wall:.1f}')")"
fi

# The stores, in the same run.
if [ -x "$bench_store" ]; then
  store_line() {  # backend, bench_store output file
    python3 - "$1" "$2" "$STORE_EVENTS" <<'PY'
import re, sys
text = open(sys.argv[2]).read()
rate = re.search(r"append: (\d+) extracted events/s", text)
query = re.search(r"query: first [\d.]+ ms, median ([\d.]+) ms", text)
if not rate or not query:
    sys.exit(f"bench_store output not understood:\n{text}")
print(f"SCALEOUT_STORE backend={sys.argv[1]} events={sys.argv[3]} events_per_s={rate.group(1)} "
      f"query_ms={query.group(1)}")
PY
  }
  "$bench_store" --events "$STORE_EVENTS" --db "$work/bench-store.db" >"$work/store-sqlite.txt"
  store_line sqlite "$work/store-sqlite.txt"
  fresh_schema store
  "$bench_store" --events "$STORE_EVENTS" --db "$(schema_url "$schema")" >"$work/store-postgresql.txt"
  store_line postgresql "$work/store-postgresql.txt"
else
  echo "bench_scaleout: $bench_store not built (cmake --build BUILD --target bench_store); no store figures"
fi
