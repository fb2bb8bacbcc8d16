#!/usr/bin/env bash
# Runs every libFuzzer target for FUZZ_SECONDS (default 60) each, seeded from
# the project's fixtures (and ../shared/corpus when present). A crash input is
# copied to tests/fuzz/regressions/<target>/ so `make test` replays it forever.
set -uo pipefail
build=${1:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${BANWATCH_CORPUS:-$root/../shared/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seeds_for() {
  case "$1" in
    feed|sitemap) echo "$root/tests/data/feeds $corpus/feeds-real $corpus/feeds-feedparser" ;;
    opml) echo "$root/tests/data/feeds" ;;
    article) echo "$root/tests/data/parsers" ;;
    dates|sentences) echo "$root/tests/data/parsers" ;;
    rules|rule_loader) echo "$root/tests/data/rules $root/rules" ;;
    robots|url) echo "$root/tests/data/crawler" ;;
    config) echo "$root/config" ;;
    *) echo "" ;;
  esac
}

status=0
summary=""
for bin in "$build"/tests/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin"); name=${name#fuzz_}
  mkdir -p "$work/$name" "$root/tests/fuzz/regressions/$name"
  seeds=()
  for d in $(seeds_for "$name"); do [ -d "$d" ] && seeds+=("$d"); done
  echo "== fuzz_$name for ${seconds}s (seeds: ${seeds[*]:-none})"
  start=$(date +%s)
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
    -artifact_prefix="$root/tests/fuzz/regressions/$name/" "$work/$name" "${seeds[@]}" \
    > "$work/$name.log" 2>&1
  rc=$?
  end=$(date +%s)
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$work/$name.log" | grep -Eo '[0-9]+$' || true)
  [ -n "$execs" ] || execs=$(grep -Eo '#[0-9]+' "$work/$name.log" | tail -1 | tr -d '#')
  if [ $rc -ne 0 ]; then
    status=1
    echo "   CRASH: see $root/tests/fuzz/regressions/$name/"; tail -30 "$work/$name.log"
  fi
  summary+=$(printf '%-14s %5ss  %10s execs  %s\n' "$name" "$((end - start))" "${execs:-?}" "$([ $rc -eq 0 ] && echo ok || echo CRASH)")$'\n'
done
echo
echo "target         time        executions  result"
printf '%s' "$summary"
exit $status
