#!/usr/bin/env bash
# The rule engine through the command line, start-up included: `banwatch rules
# test --file F --json` on 4.7 MB of real news text (the article texts of the
# shared articles-zyte corpus, concatenated and repeated, in a temporary
# directory) and on a one-line file (the rule pack's start-up). Targets: the
# 4.7 MB file under 1.5 s, start-up under 100 ms.
#
#   bench/bench_rules_cli.sh BANWATCH [RUNS] [PEER_BANWATCH]
#
# Run from a directory holding rules/ and config/ (the repository root). Each
# case runs RUNS times (default 5), alternating with PEER_BANWATCH when given
# (another build, e.g. the main branch's, in the same run); prints the best
# wall time and the least CPU time (user + sys) of the runs, the CPU time being
# the steadier figure on a shared machine, as RESULT lines.
set -euo pipefail
bin=${1:?usage: bench_rules_cli.sh BANWATCH [RUNS] [PEER_BANWATCH]}
runs=${2:-5}
peer=${3:-}
corpus=${BANWATCH_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}
work=$(mktemp -d /tmp/banwatch-rules-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 - "$corpus/articles-zyte/ground-truth.json" "$work/news.txt" <<'PY'
import json, sys
articles = json.load(open(sys.argv[1], encoding="utf-8"))
bodies = [a["articleBody"].strip() for _, a in sorted(articles.items())]
out, size, i = [], 0, 0
while size < 4_700_000:
    body = bodies[i % len(bodies)]
    out.append(body)
    size += len(body.encode()) + 2
    i += 1
open(sys.argv[2], "w", encoding="utf-8").write("\n\n".join(out) + "\n")
PY
printf 'Markets in Asia closed higher on Tuesday as investors weighed the latest inflation figures.\n' >"$work/line.txt"
echo "text: $(wc -c <"$work/news.txt") bytes of articles-zyte article texts; start-up: a one-line file"

# run_case LABEL FILE: RUNS timed runs of each binary, alternating.
run_case() {
  local label=$1 file=$2
  for i in $(seq 1 "$runs"); do
    for which in bin peer; do
      local b=${!which}
      [ -n "$b" ] || continue
      /usr/bin/time -f '%e %U %S' -o "$work/t" "$b" rules test --file "$file" --json >/dev/null
      cat "$work/t" >>"$work/$label.$which"
    done
  done
}
summary() {  # FILE -> "best_wall least_cpu"
  awk '{w=$1; c=$2+$3; if (NR==1 || w<bw) bw=w; if (NR==1 || c<bc) bc=c} END {printf "%.3f %.3f", bw, bc}' "$1"
}
run_case news "$work/news.txt"
run_case startup "$work/line.txt"
for label in news startup; do
  read -r wall cpu <<<"$(summary "$work/$label.bin")"
  pwall="" pcpu=""
  [ -n "$peer" ] && read -r pwall pcpu <<<"$(summary "$work/$label.peer")"
  if [ "$label" = news ]; then
    echo "4.7 MB news file: ${wall} s wall, ${cpu} s cpu${peer:+ (peer ${pwall} s wall, ${pcpu} s cpu)}"
    echo "RESULT rules.cli_4_7mb.wall ${wall} s${peer:+ peer=$pwall}"
    echo "RESULT rules.cli_4_7mb.cpu ${cpu} s${peer:+ peer=$pcpu}"
  else
    ms() { awk -v v="$1" 'BEGIN {printf "%.0f", v * 1000}'; }
    echo "start-up (one-line file): $(ms "$wall") ms wall, $(ms "$cpu") ms cpu${peer:+ (peer $(ms "$pwall") ms wall, $(ms "$pcpu") ms cpu)}"
    echo "RESULT rules.startup.wall $(ms "$wall") ms${peer:+ peer=$(ms "$pwall")}"
    echo "RESULT rules.startup.cpu $(ms "$cpu") ms${peer:+ peer=$(ms "$pcpu")}"
  fi
done
