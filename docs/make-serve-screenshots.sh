#!/bin/sh
# Renders the screenshots of docs/serve.md: `banwatch demo` crawls the bundled
# sample site into a scratch store, `banwatch serve` serves it on a free
# loopback port, and headless chromium shoots four pages (the events, a
# vendor's timeline, one event, the events on a phone). Needs Debian's
# chromium package and a built banwatch. Runs offline; nothing is kept.
#
#   docs/make-serve-screenshots.sh [BANWATCH_BINARY] [OUT_DIR]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
banwatch=${1:-$root/build/app/banwatch}
out=${2:-$root/docs}
work=$(mktemp -d)
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
(cd "$work" && env -u BANWATCH_CONFIG -u BANWATCH_DB "$banwatch" demo --dir "$work" >/dev/null)
env -u BANWATCH_CONFIG -u BANWATCH_DB "$banwatch" --db "$work/demo.db" serve --listen 127.0.0.1:0 >"$work/serve.out" &
pid=$!
i=0
until grep -q 'serving http' "$work/serve.out" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 300 ] || { echo "banwatch serve did not start" >&2; exit 1; }
  sleep 0.1
done
base=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$work/serve.out")
event=$(curl -sf "$base/api/events?vendor=TikTok&status=proposed&limit=1" | sed -n 's/.*"id": \([0-9]*\),.*/\1/p' | head -1)
shoot() { # file width height path
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$work/profile" \
    --screenshot="$out/$1" --window-size="$2,$3" "$base$4" 2>/dev/null
  echo "wrote $out/$1"
}
shoot serve-events.png 1100 1400 "/"
shoot serve-vendor.png 1100 1100 "/vendors/TikTok"
shoot serve-event.png 1100 1500 "/events/$event"
shoot serve-phone.png 420 1400 "/?vendor=Huawei"
