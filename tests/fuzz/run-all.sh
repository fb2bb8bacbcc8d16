#!/usr/bin/env bash
# Runs every libFuzzer target in turn, one fuzzing process at a time, seeded
# from the project's fixtures (and ../shared/corpus when present). A crash,
# leak, timeout or out-of-memory input is written to
# tests/fuzz/regressions/<target>/ so `make test` replays it forever.
#
#   tests/fuzz/run-all.sh [BUILD_DIR] [TARGET...]     (default build-fuzz, every target)
#
# Environment:
#   FUZZ_SECONDS=N      wall seconds per target (default 60)
#   FUZZ_CPU_SECONDS=N  stop a target once it has used N CPU seconds (user+sys);
#                       on a shared machine this gives every target the same
#                       work whatever the load. FUZZ_SECONDS, when not set
#                       explicitly, is then 10x this, as a backstop.
#   FUZZ_NICE=N         run the fuzzers at this niceness (default 0)
#   FUZZ_CORPUS=DIR     where each target's corpus lives and grows from run to
#                       run (default BUILD_DIR/fuzz-corpus; never the repository)
# Prints one line per target: wall and CPU seconds, executions, corpus size
# and the result; exits 1 if any target found something.
set -uo pipefail
build=${1:-build-fuzz}; [ $# -gt 0 ] && shift
cpu_limit=${FUZZ_CPU_SECONDS:-}
if [ -n "${FUZZ_SECONDS:-}" ]; then seconds=$FUZZ_SECONDS
elif [ -n "$cpu_limit" ]; then seconds=$((cpu_limit * 10))
else seconds=60; fi
niceness=${FUZZ_NICE:-0}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${BANWATCH_CORPUS:-$root/../shared/corpus}
corpora=${FUZZ_CORPUS:-$build/fuzz-corpus}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
ticks=$(getconf CLK_TCK)

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

dict_for() {
  case "$1" in
    feed|sitemap|opml) echo "$root/tests/fuzz/feeds.dict" ;;
    article) echo "$root/tests/fuzz/html.dict" ;;
    *) echo "" ;;
  esac
}

# CPU seconds (user+sys, children included once reaped) of process PID.
cpu_of() {
  awk -v t="$ticks" '{ sub(/^[^)]*\) /, ""); print int(($12 + $13) / t) }' "/proc/$1/stat" 2>/dev/null || echo 0
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for bin in "$build"/tests/fuzz/fuzz_*; do
    [ -x "$bin" ] && targets+=("$(basename "$bin" | sed 's/^fuzz_//')")
  done
fi
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets in $build/tests/fuzz (build with -DBANWATCH_FUZZ=ON)" >&2; exit 2; }

status=0
summary=""
for name in "${targets[@]}"; do
  bin="$build/tests/fuzz/fuzz_$name"
  [ -x "$bin" ] || { echo "no target $bin" >&2; status=1; continue; }
  mkdir -p "$corpora/$name" "$root/tests/fuzz/regressions/$name"
  seeds=()
  for d in $(seeds_for "$name"); do [ -d "$d" ] && seeds+=("$d"); done
  dict=()
  d=$(dict_for "$name"); [ -n "$d" ] && [ -f "$d" ] && dict=(-dict="$d")
  echo "== fuzz_$name: ${seconds}s wall${cpu_limit:+, ${cpu_limit}s CPU} (seeds: ${seeds[*]:-none})"
  start=$(date +%s)
  /usr/bin/time -f '%U %S' -o "$logs/$name.time" \
    nice -n "$niceness" "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
      -print_final_stats=1 ${dict[@]+"${dict[@]}"} -artifact_prefix="$root/tests/fuzz/regressions/$name/" \
      "$corpora/$name" ${seeds[@]+"${seeds[@]}"} > "$logs/$name.log" 2>&1 &
  watcher=$!
  stopped=0
  if [ -n "$cpu_limit" ]; then
    # The fuzzer is the grandchild (time -> nice -> exec): find it and stop it
    # with SIGINT, on which libFuzzer prints its final statistics and exits 0.
    while kill -0 "$watcher" 2>/dev/null; do
      sleep 2
      pid=$(pgrep -P "$watcher" | head -1)
      [ -n "$pid" ] || continue
      if [ "$(cpu_of "$pid")" -ge "$cpu_limit" ]; then kill -INT "$pid" 2>/dev/null; stopped=1; break; fi
    done
  fi
  wait "$watcher"; rc=$?
  # libFuzzer exits 72 (-interrupted_exitcode) when interrupted: our own stop is a clean end.
  [ "$stopped" = 1 ] && [ $rc -eq 72 ] && rc=0
  wall=$(( $(date +%s) - start ))
  # GNU time writes "Command exited with non-zero status N" first when it did.
  cpu=$(tail -1 "$logs/$name.time" 2>/dev/null | awk '{ printf "%.1f", $1 + $2 }')
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$logs/$name.log" | grep -Eo '[0-9]+$' | tail -1)
  [ -n "$execs" ] || execs=$(grep -Eo '^#[0-9]+' "$logs/$name.log" | tail -1 | tr -d '#')
  files=$(find "$corpora/$name" -type f | wc -l)
  kib=$(du -sk "$corpora/$name" | cut -f1)
  if [ $rc -ne 0 ]; then
    status=1
    kind=$(grep -Eo 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer): [a-z-]+' \
           "$logs/$name.log" | head -1 | sed 's/^ERROR: //')
    [ -n "$kind" ] || kind=$(grep -Eo 'runtime error: .*' "$logs/$name.log" | head -1)
    result="FOUND ${kind:-exit $rc}"
    echo "   $result; input kept in tests/fuzz/regressions/$name/:"
    grep -E "^(artifact_prefix|Test unit written to)" "$logs/$name.log" | tail -2
    grep -E "^    #[0-9]+ " "$logs/$name.log" | head -12
  else
    result=ok
  fi
  cp "$logs/$name.log" "$corpora/$name.last.log" 2>/dev/null || true
  line=$(printf '%-12s %7.0f %8s %12s %7s %8s  %s' "$name" "$wall" "$cpu" "${execs:-?}" "$files" "$kib" "$result")
  echo "$line"
  summary+="$line"$'\n'
done
echo
printf '%-12s %7s %8s %12s %7s %8s  %s\n' target "wall s" "CPU s" executions "corpus" "KiB" result
printf '%s' "$summary"
exit $status
