#!/usr/bin/env bash
# The demo fleet end to end: a throwaway PostgreSQL cluster, a few dozen demo portals, two rounds
# swept by three workers each (the sites change in between: round 1 is as of a fortnight before
# round 2), and the second round's summary.
#
#   scripts/demo-fleet.sh [OUT]          (default Reports/demo-fleet; OUT/index.html is the summary)
#
# Steps: `govsweep demo --fleet` serves the variants on 127.0.0.1 and writes SITES.csv;
# scripts/pg-throwaway.sh starts a cluster (its last line is the postgres:// URL); `fleet init`,
# `fleet add`, `fleet round` (its last line is the round id); three `govsweep worker
# --exit-when-idle`; SIGUSR1 to the demo (every site as it is two weeks later: some fixed, some
# worse); the second round the same way; `fleet report` of it (with the changes since the first);
# everything started here is stopped on the way out.
# Environment: GOVSWEEP (the binary; default .build/release/govsweep, built here first with the
# package trait PostgreSQL: swift build -c release --traits PostgreSQL),
# SITES (how many sites, default 30), ASOF (the last round's date, default today in China; with
# ROUNDS=2 the first round is as of 14 days before, the date the demo prints), WORKERS (default 3),
# CONCURRENCY (sites per worker at once, default 2), ROUNDS (1 or 2, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-Reports/demo-fleet}"
gs="${GOVSWEEP:-}"
if [ -z "$gs" ]; then
  # Fleet mode is the trait PostgreSQL, off in a plain build (an incremental build when the
  # dependencies are built).
  echo "demo-fleet: swift build -c release --traits PostgreSQL" >&2
  swift build -c release --traits PostgreSQL >&2 || exit 2
  gs=.build/release/govsweep
fi
[ -x "$gs" ] || { echo "demo-fleet: no govsweep binary at $gs: swift build -c release --traits PostgreSQL (or set GOVSWEEP)" >&2; exit 2; }
case "$("$gs" --help 2>&1 || true)" in
  *"no PostgreSQL support"*) echo "demo-fleet: $gs has no PostgreSQL support: swift build -c release --traits PostgreSQL" >&2; exit 2 ;;
esac
[ -x scripts/pg-throwaway.sh ] || { echo "demo-fleet: scripts/pg-throwaway.sh is missing (the PostgreSQL store's script)" >&2; exit 2; }
sites="${SITES:-30}"
asof="${ASOF:-$(TZ=Asia/Shanghai date +%F)}"
workers="${WORKERS:-3}"
concurrency="${CONCURRENCY:-2}"
rounds="${ROUNDS:-2}"

work="$(mktemp -d "${TMPDIR:-/tmp}/govsweep-demo-fleet.XXXXXX")"
# The cluster lives in $work/pg and, as root, runs as the postgres user, which must be able to
# enter $work (mktemp -d makes it 700).
chmod 711 "$work"
serve_pid=""
pg_started=""
worker_pids=()
cleanup() {
  local rc=$?
  for p in "${worker_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  [ -n "$pg_started" ] && scripts/pg-throwaway.sh stop "$work/pg" >/dev/null 2>&1 || true
  if [ $rc -ne 0 ]; then echo "demo-fleet: failed (exit $rc); logs kept in $work" >&2; else rm -rf "$work"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. The sites: served by this govsweep process until the end.
"$gs" demo --fleet --fleet-sites "$sites" --as-of "$asof" --out "$work/fleet" >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 100); do
  grep -q "ready: " "$work/serve.log" 2>/dev/null && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 3; }
  sleep 0.1
done
grep -q "ready: " "$work/serve.log" || { echo "demo-fleet: the demo sites did not start" >&2; exit 3; }
head -2 "$work/serve.log"
# The sites are served as they are on the first round's date until SIGUSR1: a fortnight before
# ASOF (the demo prints it).
first_asof="$(sed -n 's/.*first round as of \([0-9-]*\),.*/\1/p' "$work/serve.log" | head -1)"
[ -n "$first_asof" ] || { echo "demo-fleet: the demo did not print the first round's date" >&2; exit 3; }

# 2. The database.
store="$(scripts/pg-throwaway.sh start "$work/pg" | tail -1)"
pg_started=1
case "$store" in postgres://* | postgresql://*) ;; *) echo "demo-fleet: pg-throwaway.sh printed no postgres URL" >&2; exit 3 ;; esac
export GOVSWEEP_STORE="$store"
echo "demo-fleet: PostgreSQL at $store"

# 3. The sites, registered once.
"$gs" fleet init --store "$store"
"$gs" fleet add "$work/fleet/SITES.csv" --store "$store"

# 4. A round: created, then swept by the workers until no job is left.
sweep_round() {
  local day="$1"
  round="$("$gs" fleet round --as-of "$day" --store "$store" | tail -1)"
  echo "demo-fleet: round $round ($sites sites, as of $day)"
  local start failed=0 p i
  start=$(date +%s)
  for i in $(seq 1 "$workers"); do
    "$gs" worker --store "$store" --concurrency "$concurrency" --exit-when-idle >"$work/worker-$round-$i.log" 2>&1 &
    worker_pids+=($!)
  done
  for p in "${worker_pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
  worker_pids=()
  echo "demo-fleet: $workers workers done in $(( $(date +%s) - start )) s ($failed exited non-zero; logs in $work)"
  "$gs" fleet status --store "$store" || true
}
# Round 1 as of the earlier date (skipped with ROUNDS=1), then the sites two weeks later (some
# fixed, some worse) and the round as of ASOF.
[ "$rounds" = 2 ] && sweep_round "$first_asof"
kill -USR1 "$serve_pid"
for _ in $(seq 1 50); do grep -q "(second round)" "$work/serve.log" && break; sleep 0.1; done
grep -q "(second round)" "$work/serve.log" || { echo "demo-fleet: the demo sites did not advance" >&2; exit 3; }
sweep_round "$asof"

# 5. The reports: each site's folder and the round summary.
"$gs" fleet report --round "$round" --out "$out" --store "$store"
echo "demo-fleet: round summary $out/index.html (table: $out/sites.csv)"
