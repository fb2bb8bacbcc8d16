#!/usr/bin/env bash
# Feed-only fetching of the same N feeds by banwatch and by newsboat's
# non-interactive reload (the peer), served by nginx on 127.0.0.1: a first
# pass (every feed new) and an all-304 pass (every request conditional, every
# answer 304 Not Modified). Wall time, CPU seconds and peak RSS per pass, from
# GNU time, and what nginx's access log says each pass asked and got.
#
# newsboat 2.21 (Debian 12) does not keep the Last-Modified/ETag of a feed's
# very first download (its cache row for the feed does not exist yet when the
# validators are saved), so its second reload downloads every feed again
# (200, unconditional) and only its third is all 304. Comparing banwatch's
# second pass with newsboat's second would compare a 304 pass with a full
# re-download; the all-304 figures therefore pair banwatch's second pass with
# newsboat's third, and the access log counts prove each was all 304. The
# re-download pass is reported too, as newsboat's cost of that behaviour.
#
# Prints, for bench/report.py:
#   PASS tool=<banwatch|newsboat> pass=<first|redownload|all_304|startup> wall=<s> cpu=<s> rss_mb=<MB>
#        requests=<n> status_200=<n> status_304=<n> conditional=<n> other=<n>
#   RESULT <name> <value> <unit> peer=<value>
#
#   bench/bench_crawl_newsboat.sh [path/to/banwatch] [--feeds N] [--items K] [--threads T]
#   (or env FEEDS, ITEMS; default 2,000 feeds of 20 items, the crawl benchmark's size)
#
# Both get the same parallelism (T transfers at once, default 16) and no
# per-host delay, since every feed is on one loopback host.
set -euo pipefail
banwatch=${1:-build/app/banwatch}; [ $# -gt 0 ] && shift
[ -d "$banwatch" ] && banwatch="$banwatch/app/banwatch"  # a build directory
feeds=${FEEDS:-2000} items=${ITEMS:-20} threads=16
while [ $# -gt 0 ]; do
  case "$1" in
    --feeds) feeds=$2; shift 2 ;;
    --items) items=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$banwatch" ] || { echo "banwatch binary not found at $banwatch" >&2; exit 1; }
command -v newsboat >/dev/null || { echo "newsboat is not installed (Debian package newsboat)" >&2; exit 3; }
command -v nginx >/dev/null || { echo "nginx is not installed (Debian package nginx-light)" >&2; exit 3; }
work=$(mktemp -d /tmp/banwatch-bench-newsboat.XXXXXX)
nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/site/feeds" "$work/nginx/logs"
python3 - "$work/site/feeds" "$feeds" "$items" "$port" <<'PY'
import sys
out, feeds, items, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
for f in range(feeds):
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Feed {f}</title>'
             f'<link>http://127.0.0.1:{port}/</link><description>Generated feed {f}</description>\n']
    for i in range(items):
        parts.append(f'<item><title>Report {f}-{i} on the regional council and its plans</title>'
                     f'<link>http://127.0.0.1:{port}/news/{f}/{i}.html</link><guid isPermaLink="false">urn:bench:{f}:{i}</guid>'
                     f'<description>The council met on Tuesday to discuss item {i} of feed {f}; residents asked about '
                     f'the harbour, the library and the railway timetable for the coming season.</description>'
                     f'<pubDate>Fri, 20 Nov 2026 09:{i % 60:02d}:00 GMT</pubDate></item>\n')
    parts.append('</channel></rss>\n')
    with open(f'{out}/{f}.xml', 'w') as fh:
        fh.write(''.join(parts))
PY
cat > "$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  # One line per request: which pass asked, what it asked and what it got, so
  # the report can show that the second pass really was conditional (304)
  # for both tools rather than trusting either tool's own account.
  map "\$http_if_modified_since\$http_if_none_match" \$conditional { "" plain; default conditional; }
  log_format bench '\$status \$request_method \$conditional ims="\$http_if_modified_since" inm=\$http_if_none_match';
  access_log $work/nginx/logs/access.log bench;
  types { application/rss+xml xml; }
  keepalive_requests 100000;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$port;
    root $work/site;
    location = /robots.txt { return 404; }
  }
}
CONF
mkdir -p "$work/nginx/tmp"
chmod -R a+rX "$work"  # nginx workers run as an unprivileged user
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/feeds/0.xml" && break; sleep 0.1; done

# banwatch: feed-only (crawl.articles: none), all feeds due.
{
  echo "store:"; echo "  path: $work/banwatch.db"
  echo "fetch:"; echo "  concurrency: $threads"; echo "  host_connections: $threads"; echo "  host_delay: 0s"
  echo "  allow_private_networks: true"
  echo "crawl:"; echo "  articles: none"; echo "  max_item_age: 3650d"
  echo "rules: $root/rules"
  echo "sources:"
  for f in $(seq 0 $((feeds - 1))); do
    echo "  - name: feed$f"; echo "    url: http://127.0.0.1:$port/feeds/$f.xml"; echo "    every: 15m"
  done
} > "$work/banwatch.yaml"
# newsboat: the same URLs, the same parallelism.
for f in $(seq 0 $((feeds - 1))); do echo "http://127.0.0.1:$port/feeds/$f.xml"; done > "$work/urls"
printf 'reload-threads %s\n' "$threads" > "$work/newsboat.conf"
log="$work/nginx/logs/access.log"
# timed TAG CMD...: runs CMD under GNU time; leaves "wall cpu rss_mb" in
# $work/TAG.t and the access-log lines of this pass in $work/TAG.log.
timed() {
  local tag=$1; shift
  local before; before=$(wc -l < "$log")
  /usr/bin/time -f '%e %U %S %M' -o "$work/$tag.time" "$@" >"$work/$tag.out" 2>"$work/$tag.err" || {
    echo "$tag failed:" >&2; tail -5 "$work/$tag.err" >&2; return 1; }
  awk '{printf "%s %.2f %.0f\n", $1, $2 + $3, $4 / 1024}' "$work/$tag.time" > "$work/$tag.t"
  sleep 0.2  # nginx writes the log line after the response; let the last ones land
  tail -n +"$((before + 1))" "$log" > "$work/$tag.log"
}
# requests TAG: what nginx saw during that pass (robots.txt included, as "other").
requests() {
  awk '{ n++; if ($1 == 200) ok++; else if ($1 == 304) nm++; else other++
         if ($3 == "conditional") cond++ }
       END { printf "requests=%d status_200=%d status_304=%d conditional=%d other=%d\n", n, ok, nm, cond, other }' \
    "$work/$1.log"
}

nb=(newsboat -u "$work/urls" -c "$work/newsboat.db" -C "$work/newsboat.conf" -x)
timed bw_first "$banwatch" --config "$work/banwatch.yaml" crawl --all
timed bw_all_304 "$banwatch" --config "$work/banwatch.yaml" crawl --all
validators() { sqlite3 "$work/newsboat.db" "SELECT count(*) FROM rss_feed WHERE etag != '' OR lastmodified > 0" 2>/dev/null || echo '?'; }
timed nb_first "${nb[@]}" reload
nb_validators_first=$(validators)
timed nb_redownload "${nb[@]}" reload
nb_validators_second=$(validators)
timed nb_all_304 "${nb[@]}" reload
# newsboat's start-up alone (open the cache, load every feed and item, no
# network): the fixed part of each of its passes.
timed nb_startup "${nb[@]}" print-unread

articles=$(sqlite3 "$work/banwatch.db" 'SELECT count(*) FROM articles' 2>/dev/null || echo '?')
nb_items=$(sqlite3 "$work/newsboat.db" 'SELECT count(*) FROM rss_item' 2>/dev/null || echo '?')
echo "$feeds feeds of $items items on nginx 127.0.0.1:$port, $threads transfers at once"
echo "banwatch stored $articles feed-only articles; newsboat cached $nb_items items"
echo "newsboat's cache held a Last-Modified or ETag for $nb_validators_first of $feeds feeds after its first reload, $nb_validators_second after its second"
printf '%-16s %8s %8s %7s  %s\n' pass "wall s" "cpu s" "RSS MB" "nginx access log"
for t in bw_first bw_all_304 nb_first nb_redownload nb_all_304 nb_startup; do
  read -r wall cpu rss < "$work/$t.t"
  printf '%-16s %8s %8s %7s  %s\n' "$t" "$wall" "$cpu" "$rss" "$(requests "$t")"
done
for t in bw_first bw_all_304 nb_first nb_redownload nb_all_304 nb_startup; do
  read -r wall cpu rss < "$work/$t.t"
  tool=banwatch; [ "${t#nb_}" != "$t" ] && tool=newsboat
  echo "PASS tool=$tool pass=${t#*_} wall=$wall cpu=$cpu rss_mb=$rss $(requests "$t")"
done
# The all-304 comparison is only fair if both passes really were all 304.
for t in bw_all_304 nb_all_304; do
  got=$(awk '$1 == 304' "$work/$t.log" | wc -l)
  [ "$got" -eq "$feeds" ] || echo "WARNING $t: $got of $feeds feed requests answered 304; the all-304 comparison is not like for like"
done
read -r bw1w bw1c bw1r < "$work/bw_first.t"; read -r bw2w bw2c bw2r < "$work/bw_all_304.t"
read -r nb1w nb1c nb1r < "$work/nb_first.t"; read -r nb3w nb3c nb3r < "$work/nb_all_304.t"
# Ratios in report.py are banwatch/peer; for times lower is better.
echo "RESULT first_pass_wall $bw1w s peer=$nb1w"
echo "RESULT first_pass_cpu $bw1c s peer=$nb1c"
echo "RESULT first_pass_rss $bw1r MB peer=$nb1r"
echo "RESULT all_304_pass_wall $bw2w s peer=$nb3w"
echo "RESULT all_304_pass_cpu $bw2c s peer=$nb3c"
echo "RESULT all_304_pass_rss $bw2r MB peer=$nb3r"
