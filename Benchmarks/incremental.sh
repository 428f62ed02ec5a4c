#!/usr/bin/env bash
# Incremental re-sweep benchmark: the CPU time of a re-sweep of an unchanged site against
# the first sweep's, and whether its findings are identical to a full sweep's.
#
# usage: Benchmarks/incremental.sh [N] [--site gen|portal] [--port PORT] [--as-of YYYY-MM-DD] [--postgres]
# (default N 20000; a site of Benchmarks/run.sh (default gen), served by nginx, which answers
# If-None-Match / If-Modified-Since with 304 for static files)
#
# Three sweeps into one fresh store, each timed with /usr/bin/time -v:
#   1. first   — an empty store: every page fetched and parsed;
#   2. resweep — the same site unchanged: pages asked for conditionally, facts reused;
#   3. full    — `--full`: every page parsed again, as the reference for the findings.
# --postgres: the store is a throwaway PostgreSQL 15 cluster (scripts/pg-throwaway.sh) instead
# of a SQLite file; the table then adds the server's CPU seconds (its processes, reaped ones
# included) for each sweep. It builds the release binary with the PostgreSQL trait (swift build
# -c release --traits PostgreSQL) unless GOVSWEEP names one.
# Prints CPU s of each, the re-sweep's share of the first sweep, and whether the
# findings of 2 and 3 are identical (ignoring the per-run status and first-seen fields).
set -euo pipefail

N=20000
PORT=""
AS_OF=2026-11-29
POSTGRES=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --as-of) AS_OF="$2"; shift 2 ;;
    --site) SITE_KIND="$2"; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    -h|--help) sed -n "2,18p" "$0"; exit 0 ;;
    *) N="$1"; shift ;;
  esac
done

. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
require_tools
[ -n "$POSTGRES" ] && require_postgresql_build
[ -x "$GOVSWEEP" ] || { echo "govsweep binary not found at $GOVSWEEP (swift build -c release, or set GOVSWEEP)" >&2; exit 2; }
start_site

I="$WORK/incremental-$N"
rm -rf "$I"; mkdir -p "$I"
STORE="$I/store.sqlite"
if [ -n "$POSTGRES" ]; then
  PGDIR=$(mktemp -d /tmp/govsweep-bench-pg.XXXXXX)
  STORE=$("$ROOT/scripts/pg-throwaway.sh" start "$PGDIR" | tail -n 1)
  trap '"$ROOT/scripts/pg-throwaway.sh" stop "$PGDIR" || true; rm -rf "$PGDIR"; "$NGINX" -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" -s stop 2>/dev/null || true' EXIT
fi
# CPU seconds of the PostgreSQL server so far: the postmaster, its live children and the
# children it has reaped (backends of closed connections).
pg_cpu() {
  [ -n "$POSTGRES" ] || { echo 0; return; }
  python3 - "$PGDIR/data/postmaster.pid" <<'PY'
import os, sys
hz = os.sysconf("SC_CLK_TCK")
pm = int(open(sys.argv[1]).readline())
def fields(pid):
    return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
f = fields(pm)
total = sum(int(x) for x in f[11:15])  # utime stime cutime cstime
for pid in os.listdir("/proc"):
    if pid.isdigit() and int(pid) != pm:
        try:
            g = fields(pid)
        except OSError:
            continue
        if int(g[1]) == pm:
            total += int(g[11]) + int(g[12])
print(f"{total / hz:.2f}")
PY
}
sweep() {  # name [extra args]
  local name="$1"; shift
  echo "sweep: $name ..." >&2
  local before after
  before=$(pg_cpu)
  "$TIME" -v -o "$I/$name.time" "$GOVSWEEP" sweep "$URL" --as-of "$AS_OF" --max-pages $((2 * N)) \
      --store "$STORE" --out "$I/$name" --quiet "$@" > "$I/$name.txt"
  after=$(pg_cpu)
  read -r wall cpu rss < <(timing "$I/$name.time")
  echo "$name	$wall	$cpu	$rss	$(python3 -c "print(f'{$after - $before:.2f}')")" >> "$I/results.tsv"
  sed -n 2p "$I/$name.txt" >&2
}
: > "$I/results.tsv"
sweep first
sweep resweep
sweep full --full

python3 - "$I" <<'PY'
import json, sys
d = sys.argv[1]
rows = {l.split("\t")[0]: l.split("\t")[1:] for l in open(f"{d}/results.tsv").read().splitlines()}
def findings(name):
    fs = json.load(open(f"{d}/{name}/findings.json"))["findings"]
    for f in fs:
        f.pop("status", None); f.pop("firstSeen", None)
    return fs
print("sweep\twall s\tCPU s\tpeak RSS MB\tPostgreSQL CPU s")
for k in ("first", "resweep", "full"):
    print(k + "\t" + "\t".join(rows[k]))
first, re = float(rows["first"][1]), float(rows["resweep"][1])
print(f"\nre-sweep CPU / first sweep CPU: {re / first:.1%} (target: under 25%)")
a, b = findings("resweep"), findings("full")
print(f"findings of the re-sweep and of a full sweep: {'identical' if a == b else 'DIFFERENT'} ({len(a)} and {len(b)})")
sys.exit(0 if a == b else 1)
PY
