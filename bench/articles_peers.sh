#!/usr/bin/env bash
# Article extraction: banwatch vs Mozilla Readability (on jsdom, npm) and
# python3-readability (readability-lxml, Debian), in one run of the shared
# scorer over the Zyte benchmark pages: F1, precision, recall (the benchmark's
# shingle metric) and pages/s (wall time of one process over every page,
# start-up included, the same for each system).
#
#   bench/articles_peers.sh [path/to/banwatch]
#
# Environment: BANWATCH_CORPUS (default ../shared/corpus), ARTICLE_EVAL (the
# scorer, default $BANWATCH_CORPUS/../tools/article-eval), PEERS_DIR (where
# the npm peer lives, default ~/.cache/banwatch-peers), ARTICLE_PEERS
# (default readability-js,readability-lxml).
#
# Prints, for bench/report.py, one line per system that was measured:
#   ARTICLES system=<name> f1=<x> precision=<x> recall=<x> accuracy=<x> seconds=<s> pages=<n> pages_per_s=<x> how=<...>
# and "MISSING peer=<name> reason=<...>" for a peer that cannot run here.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
banwatch=${1:-$root/build/app/banwatch}
[ -d "$banwatch" ] && banwatch="$banwatch/app/banwatch"  # a build directory
corpus=${BANWATCH_CORPUS:-$root/../shared/corpus}
scorer=${ARTICLE_EVAL:-$corpus/../tools/article-eval}
export PEERS_DIR=${PEERS_DIR:-$HOME/.cache/banwatch-peers}
wanted=${ARTICLE_PEERS:-readability-js,readability-lxml}

[ -x "$banwatch" ] || { echo "banwatch binary not found at $banwatch" >&2; exit 1; }
[ -f "$corpus/articles-zyte/ground-truth.json" ] ||
  { echo "no Zyte article benchmark at $corpus/articles-zyte (set BANWATCH_CORPUS)" >&2; exit 3; }
[ -f "$scorer" ] || { echo "article scorer not found at $scorer (set ARTICLE_EVAL)" >&2; exit 3; }

# Which peers can run. Mozilla Readability needs Node.js and npm (Debian:
# nodejs npm); jsdom's newest releases need Node >= 20, so on Debian 12's
# Node 18 the last jsdom that supports it (26) is installed instead.
peers=()
for peer in ${wanted//,/ }; do
  case "$peer" in
    readability-js)
      if ! command -v node >/dev/null; then
        echo "MISSING peer=readability-js reason=no-node (apt-get install nodejs npm)"; continue
      fi
      if [ ! -d "$PEERS_DIR/node_modules/@mozilla/readability" ] || [ ! -d "$PEERS_DIR/node_modules/jsdom" ]; then
        major=$(node -p 'process.versions.node.split(".")[0]')
        jsdom=jsdom; [ "$major" -lt 20 ] && jsdom=jsdom@26
        if ! command -v npm >/dev/null ||
           ! npm install --silent --no-audit --no-fund --prefix "$PEERS_DIR" @mozilla/readability@0.6 "$jsdom" >&2; then
          echo "MISSING peer=readability-js reason=npm-install-failed (npm install --prefix $PEERS_DIR @mozilla/readability@0.6 $jsdom)"
          continue
        fi
      fi
      ;;
    readability-lxml)
      if ! /usr/bin/python3 -c 'import readability, lxml.html' 2>/dev/null; then
        echo "MISSING peer=readability-lxml reason=no-module (apt-get install python3-readability)"; continue
      fi
      ;;
  esac
  peers+=("$peer")
done
list=$(IFS=,; echo "${peers[*]}")
[ -n "$list" ] && for p in "${peers[@]}"; do
  case "$p" in
    readability-js) echo "VERSION peer=readability-js node=$(node --version) readability=$(node -p "require('$PEERS_DIR/node_modules/@mozilla/readability/package.json').version") jsdom=$(node -p "require('$PEERS_DIR/node_modules/jsdom/package.json').version")" ;;
    readability-lxml) echo "VERSION peer=readability-lxml python=$(/usr/bin/python3 -c 'import platform; print(platform.python_version())') python3_readability=$(dpkg-query -W -f='${Version}' python3-readability 2>/dev/null || echo '?')" ;;
  esac
done

json=$(python3 "$scorer" --corpus "$corpus/articles-zyte" --banwatch "$banwatch" --peers "$list" --json) || {
  echo "article scorer failed" >&2; exit 1; }
python3 - "$json" "$list" <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
for peer in filter(None, sys.argv[2].split(",")):
    if peer not in doc["systems"]:
        print(f"MISSING peer={peer} reason=peer-failed-in-scorer")
pages = doc["pages"]
for name, r in doc["systems"].items():
    rate = pages / r["seconds"] if r.get("seconds") else 0.0
    how = r.get("how", "").replace(" ", "-")
    print(f"ARTICLES system={name} f1={r['f1']:.4f} precision={r['precision']:.4f} recall={r['recall']:.4f} "
          f"accuracy={r['accuracy']:.4f} seconds={r['seconds']:.2f} pages={pages} pages_per_s={rate:.2f} how={how}")
PY
