#!/usr/bin/env bash
# Crawl-throughput benchmark: govsweep against wget2, httrack and the C floor of the stack
# (crawlfloor, variant b) on one portal served by nginx on 127.0.0.1, in alternating rounds.
#
# usage: Benchmarks/run.sh [N] [--site portal|gen] [--rounds R] [--only TOOL[,TOOL]]
#                          [--httrack-budget SECONDS] [--port PORT] [--perf] [--baseline BINARY]
# (default N 20000, --site portal, one round, httrack budget 300 s, a free port)
#
# --site portal: the realistic portal of /work/shared/bench/gensite.py ($GENSITE), with the peers'
#   flags of /work/shared/bench/README.md; --site gen: the older gen_site.py site, same flags.
# --rounds R: each round runs wget2, the floor, govsweep and httrack one after the other; every
#   ratio (govsweep/wget2, floor/wget2, govsweep/httrack) is taken within a round, and the
#   medians over the rounds are printed: on a shared 2-core machine one run can be 30% off.
# --only: a comma-separated subset of wget2, floor, govsweep, httrack.
# --perf: instead of rounds, one govsweep sweep under `perf record -g` and its top functions.
# --baseline BINARY: another govsweep build swept right after govsweep in each round (row
#   govsweep-base), for a before/after ratio measured in the same rounds.
#
# Installs nothing: if a tool is missing it prints the apt-get line and stops (govsweep is skipped
# with a message when its binary is absent). The floor is built from $CRAWLFLOOR_C
# (/work/shared/bench/crawlfloor.c) into Benchmarks/work with gcc.
set -euo pipefail

N=20000
ONLY=""
HTTRACK_BUDGET=300
PORT=""
ROUNDS=1
PERF=0
BASELINE=""
SITE_KIND=portal
while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY=",$2,"; shift 2 ;;
    --site) SITE_KIND="$2"; shift 2 ;;
    --httrack-budget) HTTRACK_BUDGET="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --perf) PERF=1; shift ;;
    --baseline) BASELINE="$2"; shift 2 ;;
    -h|--help) sed -n "2,21p" "$0"; exit 0 ;;
    *) N="$1"; shift ;;
  esac
done
case "$SITE_KIND" in portal|gen) ;; *) echo "--site is portal or gen, not $SITE_KIND" >&2; exit 2 ;; esac

. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
want() { [ -z "$ONLY" ] || [[ "$ONLY" == *",$1,"* ]]; }
tools=()
want wget2 && tools+=(wget2)
want httrack && tools+=(httrack)
[ "$PERF" = 1 ] && tools+=(perf)
want floor && tools+=(gcc curl-config xml2-config)
require_tools "${tools[@]}"   # prints the apt-get line and stops when one is missing

# The C floor, built once into WORK (never committed; the source stays where it is).
CRAWLFLOOR_C="${CRAWLFLOOR_C:-/work/shared/bench/crawlfloor.c}"
FLOOR="$WORK/crawlfloor"
if want floor && [ "$PERF" = 0 ]; then
  [ -f "$CRAWLFLOOR_C" ] || { echo "crawlfloor.c not found at $CRAWLFLOOR_C (set CRAWLFLOOR_C)" >&2; exit 2; }
  if [ ! -x "$FLOOR" ] || [ "$CRAWLFLOOR_C" -nt "$FLOOR" ]; then
    echo "building $FLOOR from $CRAWLFLOOR_C ..." >&2
    # shellcheck disable=SC2046
    gcc -O2 "$CRAWLFLOOR_C" -o "$FLOOR" $(curl-config --cflags --libs) $(xml2-config --cflags --libs) -lpthread
  fi
fi

ACCESS_LOG=1
start_site
# The peers' --max-pages N on the portal; 2N on the gen site, whose ~1,000 missing link targets
# count against the page budget.
if [ "$SITE_KIND" = portal ]; then MAX_PAGES=$N; else MAX_PAGES=$((2 * N)); fi

RESULTS="$WORK/results-$SITE_KIND-$N.tsv"
: > "$RESULTS"

# Pages a run fetched, as nginx saw them: distinct HTML URIs answered 200 to a GET (wget2's
# spider also sends HEADs; assets, robots.txt and the sitemap are not pages).
served_pages() {
  awk '$1 == "GET" && $2 == 200 && ($3 ~ /\.html?$/ || $3 ~ /\/$/) { print $3 }' "$ACCESS_LOG_FILE" | sort -u | wc -l
}
begin_run() { : > "$ACCESS_LOG_FILE"; LOAD=$(cut -d' ' -f1 /proc/loadavg); }
record() {  # round tool timefile
  local pages; pages=$(served_pages)
  read -r wall cpu rss < <(timing "$3")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$pages" "$wall" "$cpu" "$rss" "$LOAD" >> "$RESULTS"
  echo "round $1 $2: $pages pages, wall ${wall}s, cpu ${cpu}s, rss ${rss} MB (load before: $LOAD)" >&2
}

# The peers' exact flags (/work/shared/bench/README.md).
run_wget2() {
  local W="$WORK/wget2"; rm -rf "$W"; mkdir -p "$W"; begin_run
  ( cd "$W" && "$TIME" -v -o "$W/time.txt" wget2 --spider -r -l 0 -np -nd --no-robots --max-threads=16 \
      -R png,jpg,jpeg,gif,ico,css,js,pdf,doc,docx,xls,xlsx,zip,rar -P "$W/files" --no-verbose \
      -o "$W/wget2.log" "$URL" ) || true   # wget2 exits 8 when it met 404s
  record "$1" wget2 "$W/time.txt"
}

run_floor() {
  local F="$WORK/floor"; rm -rf "$F"; mkdir -p "$F"; begin_run
  "$TIME" -v -o "$F/time.txt" "$FLOOR" --variant b -n 16 "$URL" > "$F/out.txt" 2>&1 || true
  record "$1" floor "$F/time.txt"
}

# GOVSWEEP_ARGS: extra sweep options (Benchmarks/wording.sh passes --wording FILE),
# GOVSWEEP_LABEL: the row's name. A fresh store each round: a first sweep.
govsweep_cmd() {  # outdir
  # shellcheck disable=SC2086
  echo "$GOVSWEEP" sweep "$URL" --as-of 2022-11-01 --max-pages "$MAX_PAGES" --concurrency 16 --per-host 16 \
      --out "$1/out" --store "$1/store.sqlite" ${GOVSWEEP_ARGS:-}
}
run_govsweep() {
  if [ ! -x "$GOVSWEEP" ]; then
    echo "govsweep binary not found at $GOVSWEEP (swift build -c release, or set GOVSWEEP): skipped" >&2
    return
  fi
  local G="$WORK/govsweep"; rm -rf "$G"; mkdir -p "$G"; begin_run
  # shellcheck disable=SC2046
  "$TIME" -v -o "$G/time.txt" $(govsweep_cmd "$G") > "$G/log.txt" 2>&1 || true
  record "$1" "${GOVSWEEP_LABEL:-govsweep}" "$G/time.txt"
  cp "$G/out/findings.json" "$WORK/findings-$SITE_KIND-$N-${GOVSWEEP_LABEL:-govsweep}.json" 2>/dev/null || true
}

# httrack with -p0 scans without saving; its default options throttle it far below what it can do.
# Stopped with SIGINT after the budget (a safety net: tuned, it takes about 30 s for 20,000 pages).
run_httrack() {
  local H="$WORK/httrack"; rm -rf "$H"; mkdir -p "$H"; begin_run
  "$TIME" -v -o "$H/time.txt" timeout -s INT "$HTTRACK_BUDGET" \
      httrack "$URL" -O "$H/mirror" -r99 -p0 -C0 -I0 -s0 -%P0 -c16 -%c0 -%! -A1000000000 -#L100000000 -q \
      '-*.png' '-*.jpg' '-*.jpeg' '-*.gif' '-*.ico' '-*.css' '-*.js' '-*.pdf' '-*.doc*' '-*.xls*' '-*.zip' \
      > "$H/out.txt" 2>&1 || true
  record "$1" httrack "$H/time.txt"
}

if [ "$PERF" = 1 ]; then
  [ -x "$GOVSWEEP" ] || { echo "govsweep binary not found at $GOVSWEEP" >&2; exit 2; }
  P="$WORK/perf"; rm -rf "$P"; mkdir -p "$P"
  echo "perf record -g of one govsweep sweep (load before: $(cut -d' ' -f1 /proc/loadavg)) ..." >&2
  # shellcheck disable=SC2046
  perf record -F 499 -g -o "$P/perf.data" $(govsweep_cmd "$P") > "$P/log.txt" 2>&1
  echo "perf data: $P/perf.data; top functions by self samples (perf report --no-children):"
  # Swift names demangled when the toolchain's swift-demangle is there.
  demangle() { if command -v swift >/dev/null 2>&1; then swift demangle --simplified; else cat; fi; }
  perf report -i "$P/perf.data" --no-children --sort dso,symbol --stdio -g none --percent-limit 0.5 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | sed 's/ \+- \+- *$//' | demangle | cut -c1-160 | head -25
  exit 0
fi

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round of $ROUNDS" >&2
  want wget2 && run_wget2 "$round"
  want floor && run_floor "$round"
  want govsweep && run_govsweep "$round"
  if want govsweep && [ -n "$BASELINE" ]; then
    GOVSWEEP="$BASELINE" GOVSWEEP_LABEL=govsweep-base run_govsweep "$round"
  fi
  want httrack && run_httrack "$round"
done

# The table: every run, then the medians and the per-round ratios.
echo
echo "site $SITE_KIND, N=$N ($PAGES_ON_DISK html on disk), nginx on 127.0.0.1:$PORT, $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ), govsweep $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "| round | tool | pages | wall s | pages/s | CPU s (user+sys) | peak RSS MB | load before |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|"
awk -F'\t' '{ ps = ($4 > 0) ? $3/$4 : 0; printf "| %s | %s | %d | %.2f | %.0f | %.2f | %.1f | %s |\n", $1, $2, $3, $4, ps, $5, $6, $7 }' "$RESULTS"
python3 - "$RESULTS" "${GOVSWEEP_LABEL:-govsweep}" <<'PY'
import sys, statistics
from collections import defaultdict
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
label = sys.argv[2]
rate = lambda r: int(r[2]) / float(r[3]) if float(r[3]) > 0 else 0.0
by = defaultdict(dict)
for r in rows:
    by[r[0]][r[1]] = r
med = statistics.median
print()
print("| tool | median pages/s | median CPU s | median CPU ms/page | median peak RSS MB | runs |")
print("|---|---:|---:|---:|---:|---:|")
for t in ("wget2", "floor", label, "govsweep-base", "httrack"):
    rs = [r for r in rows if r[1] == t]
    if not rs: continue
    print(f"| {t} | {med(rate(r) for r in rs):.0f} | {med(float(r[4]) for r in rs):.2f} | "
          f"{med(1000*float(r[4])/max(int(r[2]),1) for r in rs):.3f} | {med(float(r[5]) for r in rs):.1f} | {len(rs)} |")
def ratio(a, b):
    xs = [rate(v[a]) / rate(v[b]) for v in by.values() if a in v and b in v and rate(v[b]) > 0]
    return xs
print()
for a, b in ((label, "wget2"), ("floor", "wget2"), (label, "httrack"), (label, "floor"),
             ("govsweep-base", "wget2"), ("govsweep-base", "httrack"), (label, "govsweep-base")):
    xs = ratio(a, b)
    if xs:
        print(f"{a} / {b} throughput per round: {', '.join(f'{x:.2f}' for x in xs)}; median {med(xs):.2f}x")
cpu = [float(v[label][4]) / float(v["govsweep-base"][4]) for v in by.values() if label in v and "govsweep-base" in v and float(v["govsweep-base"][4]) > 0]
if cpu:
    print(f"{label} / govsweep-base CPU s per round: {', '.join(f'{x:.2f}' for x in cpu)}; median {med(cpu):.2f}x")
PY
