#!/bin/sh
# Renders docs/digest-html.png: the HTML digest as a phone-sized browser shows
# it. The page is the golden HTML digest the tests keep in step with the
# renderer (tests/data/digest/sample.html); pass another HTML file to shoot it.
# Needs Debian's chromium package. Runs offline: no network, no profile kept.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
html=${1:-$root/tests/data/digest/sample.html}
out=${2:-$root/docs/digest-html.png}
case $html in /*) ;; *) html=$(pwd)/$html ;; esac
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT INT TERM
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$out" --window-size=420,1400 "file://$html"
echo "wrote $out"
