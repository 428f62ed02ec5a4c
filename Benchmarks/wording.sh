#!/usr/bin/env bash
# Wording-cost benchmark (issue 4): CPU time of `govsweep sweep` on the generated
# site without and with a 10,000-entry --wording dictionary. Target: scanning adds
# under 10% to the sweep's CPU (user+sys, /usr/bin/time -v).
#
# usage: Benchmarks/wording.sh [N] [--rounds R] [--entries E] [--kind vocab|random]
# (default N 20000, 2 rounds alternating plain and --wording, E 10000, kind vocab:
# see gen_wording.py)
# Needs what run.sh needs (nginx, GNU time, python3; wget2 and httrack are checked
# by run.sh too) and a release build: swift build -c release.
set -euo pipefail
N=20000; ROUNDS=2; ENTRIES=10000; KIND=vocab
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --entries) ENTRIES="$2"; shift 2 ;;
    --kind) KIND="$2"; shift 2 ;;
    -h|--help) sed -n "2,9p" "$0"; exit 0 ;;
    *) N="$1"; shift ;;
  esac
done
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$HERE/work"; mkdir -p "$WORK"
DICT="$WORK/wording-$ENTRIES-$KIND.csv"
python3 "$HERE/gen_wording.py" "$ENTRIES" "$DICT" --kind "$KIND"
OUT="$WORK/wording-results-$N.tsv"; : > "$OUT"
for r in $(seq 1 "$ROUNDS"); do
  for mode in plain wording; do
    if [ "$mode" = wording ]; then
      GOVSWEEP_ARGS="--wording $DICT" GOVSWEEP_LABEL="govsweep+wording" "$HERE/run.sh" "$N" --site gen --only govsweep
    else
      GOVSWEEP_LABEL="govsweep" "$HERE/run.sh" "$N" --site gen --only govsweep
    fi >/dev/null
    tail -n 1 "$WORK/results-gen-$N.tsv" | cut -f2-6 | awk -v r="$r" 'BEGIN{OFS="\t"} {print r, $0}' >> "$OUT"
  done
done
echo
echo "| round | run | pages | wall s | CPU s (user+sys) | peak RSS MB |"
echo "|---:|---|---:|---:|---:|---:|"
awk -F'\t' '{ printf "| %s | %s | %d | %.2f | %.2f | %.1f |\n", $1, $2, $3, $4, $5, $6 }' "$OUT"
awk -F'\t' '{ if ($2 == "govsweep") { p += $5; np++ } else { w += $5; nw++ } }
  END { if (np && nw) { pm = p/np; wm = w/nw;
        printf "\nmean CPU: plain %.2f s, with %s-entry --wording %.2f s: %+.1f%% (target < +10%%)\n", pm, "'"$ENTRIES"'", wm, 100*(wm-pm)/pm } }' "$OUT"
