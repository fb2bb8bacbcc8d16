#!/usr/bin/env bash
# `make bench`: runs every benchmark in bench/ (several times where cheap),
# takes medians, and writes docs/benchmarks.md with the machine, date, commit
# and, for each figure, banwatch's value beside its peer's from the same run.
#
#   bench/run-all.sh [BUILD_DIR]
#
# Environment:
#   BENCH_RUNS=N          repetitions of the cheap benchmarks (default 3)
#   BENCH_STORE_EVENTS=N  events appended by the store benchmark (default 1000000)
#   FEEDS=N ITEMS=K       size of the crawl benchmarks' generated site (default 2000 x 20)
#   BENCH_OUT=PATH        where to write the report (default docs/benchmarks.md)
# Peers: python3-feedparser, python3-readability, newsboat, nginx (Debian);
# Mozilla Readability + jsdom (npm, installed by bench/articles_peers.sh).
# bench/bench_scaleout.sh, when present, gets a throwaway PostgreSQL cluster.
# Raw outputs are kept in $BENCH_WORK (default: a temporary directory, printed).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
runs=${BENCH_RUNS:-3}
store_events=${BENCH_STORE_EVENTS:-1000000}
out=${BENCH_OUT:-$root/docs/benchmarks.md}
work=${BENCH_WORK:-$(mktemp -d /tmp/banwatch-bench.XXXXXX)}
mkdir -p "$work"
export BANWATCH_CORPUS=${BANWATCH_CORPUS:-$(cd "$root/.." && pwd)/shared/corpus}
echo "bench: raw outputs in $work"

# Runs "$@" and records its wall time, CPU time and peak RSS (GNU time) next to its output.
measure() {
  local tag=$1; shift
  echo "== $tag: $*"
  /usr/bin/time -f 'TIME wall=%e user=%U sys=%S maxrss_kb=%M' -o "$work/$tag.time" "$@" >"$work/$tag.out" 2>"$work/$tag.err"
  local rc=$?
  cat "$work/$tag.time" 2>/dev/null
  [ $rc -eq 0 ] || { echo "   $tag failed (exit $rc); see $work/$tag.err"; tail -5 "$work/$tag.err"; }
  return $rc
}

# ---- feeds: banwatch vs python3-feedparser (the benchmark runs both) ----------
if [ -x "$build/bench/bench_feeds" ]; then
  for i in $(seq 1 "$runs"); do
    (cd "$root" && measure "feeds.$i" "$build/bench/bench_feeds" --repeat 5)
  done
fi

banwatch_bin="$build/app/banwatch"
[ -x "$banwatch_bin" ] || banwatch_bin="$build/banwatch"

# ---- articles: banwatch extraction vs the bare Gumbo parse --------------------
if [ -x "$build/bench/bench_articles" ]; then
  for i in $(seq 1 "$runs"); do
    (cd "$root" && measure "articles.$i" "$build/bench/bench_articles" --rounds 3)
  done
fi
# ---- articles: F1 and pages/s vs Mozilla Readability and readability-lxml ------
# One run of the shared scorer measures banwatch and both peers on the same
# pages; each run is one complete comparison.
if [ -x "$banwatch_bin" ]; then
  for i in $(seq 1 "$runs"); do
    (cd "$root" && measure "articles_peers.$i" "$root/bench/articles_peers.sh" "$banwatch_bin")
  done
fi

# ---- rules: the default pack and 1,000 extra rules ------------------------------
if [ -x "$build/bench/bench_rules" ]; then
  for i in $(seq 1 "$runs"); do
    (cd "$root" && measure "rules.$i" "$build/bench/bench_rules")
  done
fi

# ---- rules through the CLI: a 4.7 MB news file and the pack's start-up ----------
if [ -x "$banwatch_bin" ]; then
  (cd "$root" && measure "bench_rules_cli.1" "$root/bench/bench_rules_cli.sh" "$banwatch_bin" "$runs")
fi

# ---- store: a million events appended, then the one-month query ---------------
if [ -x "$build/bench/bench_store" ]; then
  measure "store.1" "$build/bench/bench_store" --events "$store_events" --repeat 9 --db "$work/store.db"
  rm -f "$work"/store.db*
fi

# ---- crawl: the generated site (nginx), and newsboat over the same feeds --------
# Each bench_crawl*.sh takes the banwatch binary; sizes come from the
# environment (FEEDS, ITEMS), default 2,000 feeds of 20 items.
for script in "$root"/bench/bench_crawl*.sh; do
  [ -x "$script" ] || continue
  name=$(basename "$script" .sh)
  (cd "$root" && measure "$name.1" "$script" "$banwatch_bin")
done

# ---- scale-out: 1, 2 and 4 workers, and the store on SQLite vs PostgreSQL -------
# bench_scaleout.sh needs a PostgreSQL: a throwaway cluster on loopback,
# stopped (and removed) however the benchmark ends.
if [ -x "$root/bench/bench_scaleout.sh" ]; then
  # Not under $work: the cluster belongs to the postgres user when run as root,
  # and $work is private to us.
  pg_dir=$(mktemp -u /tmp/banwatch-bench-pg.XXXXXX)
  trap '"$root/tests/store_pg/pg-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true' EXIT
  if pg_env=$("$root/tests/store_pg/pg-cluster.sh" start "$pg_dir" 2>"$work/pg-cluster.err"); then
    eval "$pg_env"
    export BANWATCH_TEST_PG_URL
  else
    echo "   scale-out: could not start a PostgreSQL cluster ($(tail -1 "$work/pg-cluster.err")); bench_scaleout.sh is left to find one"
  fi
  # Its site has its own size (HOSTS, FEEDS, ITEMS of its own): the crawl
  # benchmarks' FEEDS/ITEMS are not passed on. Its store comparison appends
  # 100,000 events to each backend, fewer when BENCH_STORE_EVENTS is smaller.
  (cd "$root" && measure "scaleout.1" env -u FEEDS -u ITEMS \
     STORE_EVENTS="$(( store_events < 100000 ? store_events : 100000 ))" BENCH_STORE="$build/bench/bench_store" \
     "$root/bench/bench_scaleout.sh" "$banwatch_bin")
  "$root/tests/store_pg/pg-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  trap - EXIT
  unset BANWATCH_TEST_PG_URL
fi

python3 "$root/bench/report.py" --work "$work" --root "$root" --build "$build" --runs "$runs" \
  --store-events "$store_events" --out "$out"
echo "bench: wrote $out"
