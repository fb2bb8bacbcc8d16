#!/usr/bin/env bash
# The full hardening run (longer than ctest's share):
#   - the crash test at 50 kill points (ctest runs 12),
#   - the store failure injection at every failure point (ctest: about 40 per kind),
#     and the overlapping-runs test,
#   - resource bounds (10,000 sources, a 50 MB feed) and the valgrind crawl.
#   tests/hardening/run-all.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
bin="$build/tests/hardening/hardening_tests"
[ -x "$bin" ] || { echo "build the hardening_tests target first: $bin" >&2; exit 2; }
BANWATCH_CRASH_POINTS=${BANWATCH_CRASH_POINTS:-50} BANWATCH_FAILURE_STRIDE=${BANWATCH_FAILURE_STRIDE:-1} BANWATCH_HARDENING_SLOW=1 "$bin" "$@"
