#!/usr/bin/env bash
# Feed-only fetching of the same N feeds by banwatch and by newsboat's
# non-interactive reload (the peer), served by nginx on 127.0.0.1: a first
# pass (every feed new) and a second pass (every feed answers 304 to
# conditional requests). Wall time, CPU seconds and peak RSS per pass, from
# GNU time; prints "RESULT name value unit peer=value" lines for
# bench/report.py.
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
  rm -rf "$work"
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
  access_log off;
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
printf 'reload-threads %s\nsuppress-first-reload yes\n' "$threads" > "$work/newsboat.conf"

timed() {  # timed TAG CMD...: runs CMD, leaves "wall cpu rss_mb" in $work/TAG.t
  local tag=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/$tag.time" "$@" >"$work/$tag.out" 2>"$work/$tag.err" || {
    echo "$tag failed:" >&2; tail -5 "$work/$tag.err" >&2; return 1; }
  awk '{printf "%s %.2f %.0f\n", $1, $2 + $3, $4 / 1024}' "$work/$tag.time" > "$work/$tag.t"
}

timed bw1 "$banwatch" --config "$work/banwatch.yaml" crawl --all
timed bw2 "$banwatch" --config "$work/banwatch.yaml" crawl --all
timed nb1 newsboat -u "$work/urls" -c "$work/newsboat.db" -C "$work/newsboat.conf" -x reload
timed nb2 newsboat -u "$work/urls" -c "$work/newsboat.db" -C "$work/newsboat.conf" -x reload

articles=$(sqlite3 "$work/banwatch.db" 'SELECT count(*) FROM articles' 2>/dev/null || echo '?')
nb_items=$(sqlite3 "$work/newsboat.db" 'SELECT count(*) FROM rss_item' 2>/dev/null || echo '?')
echo "$feeds feeds of $items items on nginx 127.0.0.1:$port, $threads transfers at once"
echo "banwatch stored $articles feed-only articles; newsboat cached $nb_items items"
printf '%-28s %9s %9s %9s\n' pass "wall s" "cpu s" "RSS MB"
for t in bw1 bw2 nb1 nb2; do
  read -r wall cpu rss < "$work/$t.t"
  printf '%-28s %9s %9s %9s\n' "$t" "$wall" "$cpu" "$rss"
done
read -r bw1w bw1c bw1r < "$work/bw1.t"; read -r bw2w bw2c bw2r < "$work/bw2.t"
read -r nb1w nb1c nb1r < "$work/nb1.t"; read -r nb2w nb2c nb2r < "$work/nb2.t"
# Ratios in report.py are banwatch/peer; for times lower is better.
echo "RESULT first_pass_wall $bw1w s peer=$nb1w"
echo "RESULT first_pass_cpu $bw1c s peer=$nb1c"
echo "RESULT first_pass_rss $bw1r MB peer=$nb1r"
echo "RESULT all_304_pass_wall $bw2w s peer=$nb2w"
echo "RESULT all_304_pass_cpu $bw2c s peer=$nb2c"
echo "RESULT all_304_pass_rss $bw2r MB peer=$nb2r"
