#!/usr/bin/env bash
# Crawl-throughput benchmark: govsweep against wget2 and httrack on one synthetic
# portal served by nginx on 127.0.0.1.
#
# usage: Benchmarks/run.sh [N] [--only wget2|httrack|govsweep] [--httrack-budget SECONDS] [--port PORT] [--rounds R]
# (default N 20000, a free port, httrack budget 180 s, one round)
#
# --rounds R runs wget2 and govsweep alternately R times (httrack once) and adds the
# medians and the median of the rounds' govsweep/wget2 ratios: on a shared 2-core machine
# one run of either tool can be 30% off.
#
# Installs nothing: if a tool is missing it prints the apt-get line and stops
# (govsweep is skipped with a message when its binary is absent).
set -euo pipefail

N=20000
ONLY=""
HTTRACK_BUDGET=180
PORT=""
ROUNDS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY="$2"; shift 2 ;;
    --httrack-budget) HTTRACK_BUDGET="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    -h|--help) sed -n "2,14p" "$0"; exit 0 ;;
    *) N="$1"; shift ;;
  esac
done

. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
require_tools wget2 httrack

want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

start_site

RESULTS="$WORK/results-$N.tsv"
: > "$RESULTS"

record() {  # tool pages timefile
  read -r wall cpu rss < <(timing "$3")
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$wall" "$cpu" "$rss" >> "$RESULTS"
  echo "$1: $2 pages, wall ${wall}s, cpu ${cpu}s, rss ${rss} MB" >&2
}

run_wget2() {
  # 3a. wget2: spider mode, recursive without depth limit, 16 threads.
  if want wget2; then
    W="$WORK/wget2"; rm -rf "$W"; mkdir -p "$W"
    echo "running wget2 ..." >&2
    ( cd "$W" && "$TIME" -v -o "$W/time.txt" wget2 --spider -r -l 0 --max-threads=16 --no-robots \
        --tries=1 --timeout=15 --no-verbose --progress=none -o "$W/log.txt" \
        --stats-site="csv:$W/site.csv" "$URL" ) || true   # wget2 exits 8 when it met 404s
    # site.csv: ID,ParentID,URL,Status,Link,Method,Size,SizeDecompressed,TransferTime,ResponseTime,Encoding,Verification,...
    # one row per request (HEAD and GET): count distinct page URLs (not images) answered 200.
    pages=$(awk -F, 'NR>1 && $4==200 && $3 !~ /\.(png|jpg|gif|css|js)$/ {print $3}' "$W/site.csv" | sort -u | wc -l)
    record wget2 "$pages" "$W/time.txt"
  fi
}

run_govsweep() {
  # 3c. govsweep.
  if want govsweep; then
    if [ -x "$GOVSWEEP" ]; then
      G="$WORK/govsweep"; rm -rf "$G"; mkdir -p "$G"
      echo "running govsweep ($GOVSWEEP) ..." >&2
      # GOVSWEEP_ARGS: extra sweep options (Benchmarks/wording.sh passes --wording FILE),
      # GOVSWEEP_LABEL: the row's name.
      # shellcheck disable=SC2086
      "$TIME" -v -o "$G/time.txt" "$GOVSWEEP" sweep "$URL" --max-pages $((N * 2)) \
          --out "$G/out" --store "$G/store.sqlite" ${GOVSWEEP_ARGS:-} > "$G/log.txt" 2>&1 || true
      pages=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages"]["fetched"])' "$G/out/findings.json" 2>/dev/null || echo 0)
      record "${GOVSWEEP_LABEL:-govsweep}" "$pages" "$G/time.txt"
    else
      echo "govsweep binary not found at $GOVSWEEP (swift build -c release, or set GOVSWEEP): skipped" >&2
    fi
  fi
}

# 3b. httrack: mirror with 16 connections, security limits off (-%!), no
# connection-rate cap (-%c1000), no delayed type check (-%N0: with it httrack
# waits ~1 s per link), stopped after a time budget with SIGINT (it then
# finishes pending transfers and writes its log); pages/s is computed from what
# it fetched in that time.
if want httrack; then
  H="$WORK/httrack"; rm -rf "$H"; mkdir -p "$H"
  echo "running httrack (budget ${HTTRACK_BUDGET}s) ..." >&2
  "$TIME" -v -o "$H/time.txt" timeout -s INT "$HTTRACK_BUDGET" \
      httrack "$URL" -O "$H/mirror" -q -c16 -%c1000 -%! -%N0 -s0 -r999 -R0 -T15 -C0 "-*" "+127.0.0.1:$PORT/*" \
      > "$H/out.txt" 2>&1 || true
  # httrack writes a page as *.tmp while it is pending, *.html once parsed and
  # rewritten; a page counts when it was rewritten (a lower bound of what it fetched).
  pages=$(find "$H/mirror/127.0.0.1_$PORT" -name '*.html' 2>/dev/null | wc -l)
  pending=$(find "$H/mirror/127.0.0.1_$PORT" -name '*.tmp' 2>/dev/null | wc -l)
  echo "httrack: $pending more pages downloaded but still pending (*.tmp) when stopped" >&2
  record httrack "$pages" "$H/time.txt"
fi

for round in $(seq 1 "$ROUNDS"); do
  [ "$ROUNDS" -gt 1 ] && echo "round $round of $ROUNDS" >&2
  run_wget2
  run_govsweep
done

# 4. The table.
echo
echo "N=$N pages on disk ($PAGES_ON_DISK html), nginx on 127.0.0.1:$PORT, $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| tool | pages | wall s | pages/s | CPU s (user+sys) | peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|"
awk -F'\t' '{ ps = ($3 > 0) ? $2/$3 : 0; printf "| %s | %d | %.2f | %.0f | %.2f | %.1f |\n", $1, $2, $3, ps, $4, $5 }' "$RESULTS"
if [ "$ROUNDS" -gt 1 ]; then
  # Medians per tool, and the median of each round's govsweep/wget2 ratio (rows alternate wget2, govsweep).
  python3 - "$RESULTS" "${GOVSWEEP_LABEL:-govsweep}" <<'PY'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
label = sys.argv[2]
rate = lambda r: int(r[1]) / float(r[2]) if float(r[2]) > 0 else 0.0
w = [rate(r) for r in rows if r[0] == "wget2"]
g = [rate(r) for r in rows if r[0] == label]
print()
for name, xs in (("wget2", w), (label, g)):
    if xs: print(f"{name}: median {statistics.median(xs):.0f} pages/s over {len(xs)} runs (min {min(xs):.0f}, max {max(xs):.0f})")
ratios = [b / a for a, b in zip(w, g) if a > 0]
if ratios:
    print(f"govsweep / wget2 per round: {', '.join(f'{x:.2f}' for x in ratios)}; median {statistics.median(ratios):.2f}x")
PY
fi
awk -F'\t' '{ ps[$1] = ($3 > 0) ? $2/$3 : 0 }
  END { if (("govsweep" in ps) && ps["govsweep"] > 0) {
          if ("wget2" in ps && ps["wget2"] > 0) printf "\ngovsweep / wget2 throughput: %.2fx\n", ps["govsweep"]/ps["wget2"];
          if ("httrack" in ps && ps["httrack"] > 0) printf "govsweep / httrack throughput: %.2fx\n", ps["govsweep"]/ps["httrack"]; } }' "$RESULTS"
