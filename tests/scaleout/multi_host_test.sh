#!/usr/bin/env bash
# Four `banwatch crawl --worker` processes crawl one generated site of 20
# hosts (127.0.0.2 .. 127.0.0.21, one nginx listening on each) through one
# PostgreSQL store; checks, from nginx's access log and the stores:
#   - every article URL was requested exactly once and answered 200;
#   - each host served one worker at a time (a worker's first request to a
#     host starts after the previous owner's last request to it ended), and
#     consecutive request starts on a host are at least the per-host delay
#     apart, minus TOLERANCE_MS (25): the fetcher spaces the moments it hands
#     requests to libcurl, and a request that leaves late on a busy machine
#     (or that nginx, whose clock is cached per event-loop turn, stamps late)
#     shortens the gap to the next one; k requests apart are still checked
#     against k delays, so jitter cannot add up to a higher rate;
#   - all four workers took part;
#   - the articles (by canonical URL), events (vendor, actor, action,
#     event_date) and mentions (canonical URL, rule, evidence hash) stored
#     equal those of a single-worker run of the same site in another schema,
#     with no duplicates.
# Skips (exit 77) without nginx, psql, python3 or BANWATCH_TEST_PG_URL
# (tests/run-ctest.sh starts a throwaway cluster and exports it).
#
#   tests/scaleout/multi_host_test.sh path/to/banwatch     (env KEEP=1 keeps the work directory)
set -euo pipefail
bin=${1:?usage: multi_host_test.sh path/to/banwatch}
root=$(cd "$(dirname "$0")/../.." && pwd)
HOSTS=${HOSTS:-20}; FEEDS=${FEEDS:-3}; ITEMS=${ITEMS:-5}; WORKERS=${WORKERS:-4}
DELAY_MS=${DELAY_MS:-100}; TOLERANCE_MS=${TOLERANCE_MS:-25}

skip() { echo "SKIP: $*"; exit 77; }
command -v nginx >/dev/null || skip "nginx is not installed (apt-get install nginx-light)"
command -v python3 >/dev/null || skip "python3 is not installed"
PSQL=$(command -v psql || echo /usr/lib/postgresql/15/bin/psql)
[ -x "$PSQL" ] || skip "psql is not installed"
[ -n "${BANWATCH_TEST_PG_URL:-}" ] || skip "BANWATCH_TEST_PG_URL is not set (tests/run-ctest.sh starts a cluster)"
[ -x "$bin" ] || { echo "FAIL: banwatch binary not found at $bin"; exit 1; }
last_host=$((1 + HOSTS))
(exec 3<>/dev/udp/127.0.0.$last_host/9) 2>/dev/null || skip "127.0.0.$last_host is not a local address"

work=$(mktemp -d /tmp/banwatch-multihost.XXXXXX)
chmod 755 "$work"  # nginx's workers run as an unprivileged user
tag="mh_$$_$(date +%s)"
multi_schema="${tag}_multi"; single_schema="${tag}_single"
psql_run() { PGOPTIONS="-c client_min_messages=warning" "$PSQL" "$BANWATCH_TEST_PG_URL" -v ON_ERROR_STOP=1 -qAtX "$@"; }
schema_url() {
  local sep='?'; case "$BANWATCH_TEST_PG_URL" in *\?*) sep='&';; esac
  echo "${BANWATCH_TEST_PG_URL}${sep}options=-csearch_path%3D$1"
}
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  for pid in ${worker_pids:-}; do kill "$pid" 2>/dev/null || true; done
  psql_run -c "DROP SCHEMA IF EXISTS $multi_schema CASCADE; DROP SCHEMA IF EXISTS $single_schema CASCADE" \
    >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# A port free on the first host address.
port=18390
while (exec 3<>"/dev/tcp/127.0.0.2/$port") 2>/dev/null; do port=$((port + 1)); done

articles=$(python3 "$root/bench/scaleout_site.py" generate --out "$work" --port "$port" --hosts "$HOSTS" \
  --feeds "$FEEDS" --items "$ITEMS" --rules "$root/rules" --delay-ms "$DELAY_MS")

nginx -p "$work" -c "$work/nginx.conf"
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.2:$port/robots.txt" && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.$last_host:$port/robots.txt" || { cat "$work/nginx-error.log"; echo "FAIL: nginx did not start"; exit 1; }
: >"$work/access.log"

psql_run -c "CREATE SCHEMA $multi_schema; CREATE SCHEMA $single_schema"
bw() { "$bin" --config "$work/banwatch.yaml" -q "$@"; }
# Register the sources (and create the store's tables) before any worker runs.
for schema in "$single_schema" "$multi_schema"; do bw --db "$(schema_url "$schema")" sources list >/dev/null; done

fail=0
# The reference: one worker holding every host.
bw --db "$(schema_url "$single_schema")" --set fetch.user_agent=banwatch-solo \
  crawl --worker solo --max-hosts "$HOSTS" || { echo "FAIL: the single worker exited $?"; fail=1; }
mv "$work/access.log" "$work/access-single.log"
kill -USR1 "$(cat "$work/nginx.pid")"  # reopen the access log
for _ in $(seq 50); do [ -f "$work/access.log" ] && break; sleep 0.1; done

# WORKERS workers at once, each holding at most HOSTS / WORKERS hosts so that
# every one of them gets a share.
max_hosts=$(( (HOSTS + WORKERS - 1) / WORKERS ))
worker_pids=""
for w in $(seq "$WORKERS"); do
  bw --db "$(schema_url "$multi_schema")" --set "fetch.user_agent=banwatch-w$w" \
    crawl --worker "w$w" --max-hosts "$max_hosts" 2>"$work/w$w.err" &
  worker_pids="$worker_pids $!"
done
for pid in $worker_pids; do
  wait "$pid" || { echo "FAIL: worker (pid $pid) exited $?"; fail=1; }
done
worker_pids=""
for w in $(seq "$WORKERS"); do [ -s "$work/w$w.err" ] && { echo "w$w stderr:"; cat "$work/w$w.err"; }; done

echo "== single worker: $articles articles expected"
python3 "$root/bench/scaleout_site.py" check --log "$work/access-single.log" --articles "$work/articles.txt" \
  --delay-ms "$DELAY_MS" --tolerance-ms "$TOLERANCE_MS" --workers 1 || fail=1
echo "== $WORKERS workers"
python3 "$root/bench/scaleout_site.py" check --log "$work/access.log" --articles "$work/articles.txt" \
  --delay-ms "$DELAY_MS" --tolerance-ms "$TOLERANCE_MS" --workers "$WORKERS" || fail=1

# The stores: the same rows, each once.
dump() {  # schema, what
  local q
  case $2 in
    articles) q="SELECT canonical_url FROM $1.articles" ;;
    events) q="SELECT vendor || '|' || actor || '|' || action || '|' || coalesce(event_date::text, '-') FROM $1.events" ;;
    mentions) q="SELECT a.canonical_url || '|' || m.rule_id || '|' || m.evidence_hash
                 FROM $1.mentions m JOIN $1.articles a ON a.id = m.article_id" ;;
  esac
  psql_run -c "$q" | sort
}
for what in articles events mentions; do
  dump "$single_schema" "$what" >"$work/single.$what"
  dump "$multi_schema" "$what" >"$work/multi.$what"
  n_single=$(wc -l <"$work/single.$what"); n_multi=$(wc -l <"$work/multi.$what")
  dups=$(uniq -d "$work/multi.$what" | wc -l)
  echo "$what: single worker $n_single, $WORKERS workers $n_multi, duplicates $dups"
  if ! diff -q "$work/single.$what" "$work/multi.$what" >/dev/null; then
    echo "FAIL: $what differ between the single-worker and the $WORKERS-worker store:"
    diff "$work/single.$what" "$work/multi.$what" | head -20
    fail=1
  fi
  [ "$dups" -eq 0 ] || { echo "FAIL: $what stored twice in the $WORKERS-worker store"; fail=1; }
  [ "$n_multi" -gt 0 ] || { echo "FAIL: no $what stored"; fail=1; }
done
[ "$(wc -l <"$work/multi.articles")" -eq "$articles" ] ||
  { echo "FAIL: $articles articles served, $(wc -l <"$work/multi.articles") stored"; fail=1; }

if [ "$fail" -ne 0 ]; then echo "FAIL"; exit 1; fi
echo "PASS"
