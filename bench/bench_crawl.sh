#!/usr/bin/env bash
# Crawl benchmark: nginx (Debian) on loopback serves a generated site of
# FEEDS feeds x ITEMS items and one article page per item; banwatch crawls it
# with crawl.articles=all, then again with every feed answering 304.
# Reports wall time, CPU seconds and peak RSS of each pass.
# Targets: <= 2 ms CPU per article (first pass), all-304 pass < 5 s, peak RSS < 300 MB.
#
# usage: bench/bench_crawl.sh [path/to/banwatch]   (env FEEDS, ITEMS, HOSTS, PORT, RULES, KEEP=1)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
bin="${1:-${BANWATCH_BIN:-$repo/build/app/banwatch}}"
FEEDS="${FEEDS:-2000}"; ITEMS="${ITEMS:-20}"; HOSTS="${HOSTS:-16}"; PORT="${PORT:-18080}"
command -v nginx >/dev/null || { echo "bench_crawl: nginx not installed (apt-get install nginx-light)"; exit 1; }
[ -x "$bin" ] || { echo "bench_crawl: banwatch binary not found at $bin"; exit 1; }

work="$(mktemp -d /tmp/banwatch-bench-crawl.XXXXXX)"
chmod 755 "$work"  # nginx workers run as an unprivileged user
cleanup() {
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

echo "generating $FEEDS feeds x $ITEMS items over $HOSTS hosts in $work ..."
articles=$(python3 "$here/crawl_site.py" --out "$work" --port "$PORT" --feeds "$FEEDS" --items "$ITEMS" \
  --hosts "$HOSTS" --rules "${RULES:-$repo/rules}" --db "$work/bench.db")

listens=""
for i in $(seq 1 "$HOSTS"); do listens="$listens    listen 127.0.0.$i:$PORT;"$'\n'; done
mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  types { text/html html; application/rss+xml xml; text/plain txt; }
  keepalive_requests 100000;
  etag on;
  server {
$listens    root $work/site;
  }
}
NGINX
nginx -p "$work/nginx" -c "$work/nginx.conf"
sleep 0.5
curl -sf -o /dev/null "http://127.0.0.1:$PORT/robots.txt" || { echo "bench_crawl: nginx did not start"; cat "$work/nginx/logs/error.log"; exit 1; }

cd "$work"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "banwatch: $bin ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown))"
echo "site: $FEEDS feeds, $articles article pages"
echo "first pass (crawl.articles=all):"
first=$(python3 "$here/measure.py" "$bin" --config banwatch.yaml -v crawl)
echo "  $first"
stored=$(sqlite3 bench.db "select count(*) from articles" 2>/dev/null || echo "?")
events=$(sqlite3 bench.db "select count(*) from events" 2>/dev/null || echo "?")
echo "  articles stored: $stored, events: $events"
echo "second pass (every feed 304):"
second=$(python3 "$here/measure.py" "$bin" --config banwatch.yaml -v crawl --all)
echo "  $second"
cpu=$(echo "$first" | sed -n 's/.*cpu=\([0-9.]*\).*/\1/p')
python3 - "$cpu" "$articles" <<PY
import sys
cpu, n = float(sys.argv[1]), int(sys.argv[2])
print(f"cpu per article: {cpu / n * 1000:.2f} ms (target <= 2 ms)")
PY
