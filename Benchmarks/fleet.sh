#!/usr/bin/env bash
# Fleet benchmark (issue 15): a round of SITES locally served sites of PAGES pages each, swept
# by 1, 2 and 4 `govsweep worker`s sharing a throwaway PostgreSQL cluster, against the same sites
# swept one after the other by `govsweep sweep` on the SQLite single-process path.
#
# usage: Benchmarks/fleet.sh [SITES] [PAGES] [--workers "1 2 4"] [--concurrency C] [--seeds K]
#                            [--sqlite-only | --pg-only] [--perf] [--pg-sql FILE] [--pg-stats]
#                            [--pg-perf]
# (default 200 sites of 300 pages, workers 1 2 4, 2 sites at once per worker, 4 distinct sites)
#
# Sites: gen_site.py PAGES with K seeds (generated once under Benchmarks/work/fleet-PAGES/), each
# site served on its own 127.0.0.1 port by one nginx with SITES server blocks (site i gets seed
# i mod K). The generator's footer links to four outside hosts; the served copies point them at
# one more local server block that answers 200, so the external checks stay on 127.0.0.1.
# Pages are counted by nginx (GET answered 200 for an .html or directory URI), the same way for
# both paths; the access log is emptied before each run.
# SQLite: `govsweep sweep URL --as-of 2026-11-01 -q` per site, one at a time, one fresh store,
# under /usr/bin/time -v (CPU of every sweep).
# PostgreSQL, for each worker count W: a fresh cluster (scripts/pg-throwaway.sh start DIR, whose
# last line is the URL), `fleet init`, `fleet add SITES.csv`, `fleet round --as-of` (last line: the
# round id), W `govsweep worker --concurrency C --exit-when-idle` under /usr/bin/time -v, then
# `fleet status --json` kept beside the logs and the cluster stopped. PostgreSQL's CPU is read from
# /proc/PID/stat: the postmaster's utime+stime+cutime+cstime (cutime: its exited backends) plus
# its live children's utime+stime, before and after the workers. Its share is of the round's CPU
# (workers + PostgreSQL). --perf: worker 1 of each round runs under `perf record -F 300
# --call-graph dwarf` (work/fleet-pg-W/worker-1.perf; its CPU then includes perf's), for the
# store's share: perf report -i FILE --children --sort sym | grep -e PGStore -e NIOPosix. It also
# writes work/fleet-pg-W/store-share.txt: the worker's samples in the store's own code (a frame of
# PGStore or PostgresNIO anywhere in the stack, or a thread of NIO's event loops, NIO-*, which carry the
# connections' traffic), each sample counted once, and the batch write (PostgresStore.record)
# and the event loops apart. The store as a whole is then PG + (1 - PG) x that share, PG being
# PostgreSQL's share of a round without --perf (perf's own CPU counts as the worker's here).
# Its second line is the store's write path alone (the frames demangled by `swift demangle`):
# the batch writes with their URL ids, the runs, findings and probes written, a job's end with
# its results and report files, on the worker's threads, plus the event loops' sends; and the
# same with all of the event loops' work (their reads of the answers too), an upper bound.
# With --pg-stats the server's statement time is split the same way (statements.txt), and the
# write path's part of PostgreSQL's share printed: write path = that + (1 - PG) x the worker's.
# --pg-sql FILE: SQL run with psql after `fleet init`, before the workers connect (server-side
# experiments: ALTER DATABASE … SET, a column's storage).
# --pg-stats: the cluster loads pg_stat_statements (Debian's postgresql package has it), reset
# before the workers start; after them work/fleet-pg-W/statements.txt lists the statements by
# total time (calls, rows, ms), the sessions and their active time, and each table's indexes.
# --pg-perf: the cluster's postmaster runs under `perf record --call-graph dwarf` (its backends
# too), written to work/fleet-pg-W/pg/postgres.perf when the cluster stops: perf report -i FILE
# --no-children --sort sym (the server's CPU then includes perf's: not for the table's figures).
# The binary: GOVSWEEP, else .build/release/govsweep built here with the PostgreSQL trait
# (swift build -c release --traits PostgreSQL) unless --sqlite-only.
# Columns: wall s, sites/min, pages, pages/s, CPU s (sweeps or workers), PostgreSQL CPU s and
# share, pages/s against the SQLite row. Results also go to work/fleet-results-SITES-PAGES.tsv.
set -euo pipefail

SITES=200
PAGES=300
WORKERS_LIST="1 2 4"
CONC=2
SEEDS=4
DO_SQLITE=1
DO_PG=1
PERF=0
PGSQL=""
PGSTATS=0
PGPERF=0
ASOF=2026-11-01
POS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) WORKERS_LIST="$2"; shift 2 ;;
    --concurrency) CONC="$2"; shift 2 ;;
    --seeds) SEEDS="$2"; shift 2 ;;
    --sqlite-only) DO_PG=0; shift ;;
    --pg-only) DO_SQLITE=0; shift ;;
    --perf) PERF=1; shift ;;
    --pg-sql) PGSQL="$2"; shift 2 ;;
    --pg-stats) PGSTATS=1; shift ;;
    --pg-perf) PGPERF=1; shift ;;
    -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
    -*) echo "fleet.sh: unknown option $1" >&2; exit 2 ;;
    *) POS+=("$1"); shift ;;
  esac
done
[ ${#POS[@]} -ge 1 ] && SITES="${POS[0]}"
[ ${#POS[@]} -ge 2 ] && PAGES="${POS[1]}"
N="$PAGES"
PORT=""
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools curl
# The workers need the PostgreSQL trait: built here unless GOVSWEEP names a binary.
[ "$DO_PG" = 1 ] && require_postgresql_build
[ -x "$GOVSWEEP" ] || { echo "fleet.sh: $GOVSWEEP is missing: swift build -c release --traits PostgreSQL (or set GOVSWEEP)" >&2; exit 2; }
PGSCRIPT="$ROOT/scripts/pg-throwaway.sh"
if [ "$DO_PG" = 1 ] && [ ! -x "$PGSCRIPT" ]; then
  echo "fleet.sh: $PGSCRIPT is missing (the PostgreSQL store's script): PostgreSQL rows skipped" >&2
  DO_PG=0
fi

# 1. The sites: K generated trees (once), served copies with the outside links made local.
GEN="$WORK/fleet-$PAGES"
SERVE="$WORK/fleet-serve"
mkdir -p "$GEN"
for k in $(seq 1 "$SEEDS"); do
  if [ ! -f "$GEN/seed-$k/.generated" ]; then
    echo "generating $PAGES pages in $GEN/seed-$k ..." >&2
    rm -rf "$GEN/seed-$k"
    python3 "$HERE/gen_site.py" "$PAGES" "$GEN/seed-$k" --seed "$k" >&2
  fi
done
read -r -a PORTS <<<"$(python3 - "$((SITES + 1))" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
)"
EXT="${PORTS[$SITES]}"
rm -rf "$SERVE"; mkdir -p "$SERVE"
for k in $(seq 1 "$SEEDS"); do
  cp -a "$GEN/seed-$k" "$SERVE/seed-$k"
  grep -rlZ --include='*.html' -e 'https\?://[a-z.]*\.\(cn\|com\)/' "$SERVE/seed-$k" | xargs -0 -r sed -i \
    -e "s#https\?://\([a-z.]*\.\(cn\|com\)\)/#http://127.0.0.1:$EXT/\1/#g"
done

# 2. One nginx: a server block a site, one for the outside hosts; logs "PORT METHOD STATUS URI".
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
NG="$WORK/fleet-nginx"
rm -rf "$NG"; mkdir -p "$NG/tmp"
LOG="$NG/access.log"
{
  [ "$(id -u)" = 0 ] && echo "user root;"
  cat <<CONF
worker_processes 2;
worker_rlimit_nofile 65536;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 8192; }
http {
  log_format bench '\$server_port \$request_method \$status \$uri';
  access_log $LOG bench;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 100000;
  types { text/html html; text/xml xml; text/plain txt; image/png png; }
  default_type application/octet-stream;
  charset utf-8;
  client_body_temp_path $NG/tmp/body;
  proxy_temp_path $NG/tmp/proxy;
  fastcgi_temp_path $NG/tmp/fastcgi;
  uwsgi_temp_path $NG/tmp/uwsgi;
  scgi_temp_path $NG/tmp/scgi;
  server { listen 127.0.0.1:$EXT; location / { return 200 "<html><body>ok</body></html>\n"; } }
CONF
  for i in $(seq 0 $((SITES - 1))); do
    echo "  server { listen 127.0.0.1:${PORTS[$i]}; root $SERVE/seed-$((i % SEEDS + 1)); index index.html; }"
  done
  echo "}"
} >"$NG/nginx.conf"
"$NGINX" -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log"
STOPS=("\"$NGINX\" -p \"$NG\" -c \"$NG/nginx.conf\" -e \"$NG/error.log\" -s stop")
cleanup() { for s in "${STOPS[@]}"; do eval "$s" 2>/dev/null || true; done; }
trap cleanup EXIT
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:${PORTS[0]}/" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "http://127.0.0.1:${PORTS[$((SITES - 1))]}/" || { echo "fleet.sh: nginx does not serve the sites (see $NG/error.log)" >&2; exit 3; }

# SITES.csv for fleet add.
CSV="$WORK/fleet-SITES.csv"
{
  echo "url,name,owner,region"
  for i in $(seq 0 $((SITES - 1))); do
    printf 'http://127.0.0.1:%s/,基准站点%03d,基准单位%03d,3301%02d\n' "${PORTS[$i]}" "$((i + 1))" "$((i + 1))" "$((i % 10))"
  done
} >"$CSV"

# Pages served since the log was emptied: GETs answered 200 for an .html or directory URI, on a site's port.
pages_served() { awk -v ext="$EXT" '$1 != ext && $2 == "GET" && $3 == 200 && ($4 ~ /\.html$/ || $4 ~ /\/$/)' "$LOG" | wc -l; }
# Sites whose home page was served since the log was emptied (the PostgreSQL rows' "ok": read
# from nginx, not from the fleet's own status).
sites_served() { awk -v ext="$EXT" '$1 != ext && $2 == "GET" && $3 == 200 && $4 ~ /^\/(index\.html)?$/ { s[$1] = 1 } END { print length(s) }' "$LOG"; }
# utime+stime (+cutime+cstime with 1) of a process, in clock ticks; 0 if it is gone.
proc_ticks() {
  local s
  s="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  s="${s##*) }"
  awk -v c="$2" '{ print $12 + $13 + (c ? $14 + $15 : 0) }' <<<"$s"
}
# PostgreSQL's CPU seconds so far: the postmaster with its reaped children, and its live children.
# A child reaped between the postmaster's read and its own is in neither: the postmaster is read
# again after its children, and all of it again if that moved (the workers' backends end as the
# workers exit, right when this runs: missed, a round's server CPU read 0.9 s instead of 3.3).
pg_cpu() {
  local pm="$1" t c t0 t1 try
  for try in 1 2 3 4 5 6 7 8 9 10; do
    t0="$(proc_ticks "$pm" 1)"
    t=0
    for c in $(pgrep -P "$pm" || true); do t=$((t + $(proc_ticks "$c" 0))); done
    t1="$(proc_ticks "$pm" 1)"
    [ "$t0" = "$t1" ] && break
    sleep 0.05
  done
  awk -v t="$((t + t1))" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
# Waits (up to 10 s) for the server's client backends to end: the workers' sessions, once the
# workers exited, so that their CPU is in the postmaster's reaped children's when it is read.
pg_settle() {
  local pm="$1" c busy
  for _ in $(seq 100); do
    busy=0
    for c in $(pgrep -P "$pm" || true); do
      tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null | grep -q -e 'govsweep' && busy=1
    done
    [ "$busy" = 0 ] && return 0
    sleep 0.1
  done
}
now() { date +%s.%N; }

RESULTS="$WORK/fleet-results-$SITES-$PAGES.tsv"
printf 'path\tworkers\tsites\tok\twall_s\tsites_per_min\tpages\tpages_per_s\tcpu_s\tpg_cpu_s\tpg_share\tload1\n' >"$RESULTS"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
echo "fleet: $SITES sites x $PAGES pages ($SEEDS distinct), nginx on 127.0.0.1 ports ${PORTS[0]}.., $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ), govsweep $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') ($GOVSWEEP)" >&2

# 3. SQLite: one sweep after another.
if [ "$DO_SQLITE" = 1 ]; then
  D="$WORK/fleet-sqlite"
  rm -rf "$D"; mkdir -p "$D"
  la="$(load1)"
  : >"$LOG"
  t0="$(now)"
  $TIME -v -o "$D/time.txt" bash -c '
    ok=0; i=0
    for url in $(tail -n +2 "$1" | cut -d, -f1); do
      i=$((i + 1))
      "$2" sweep "$url" --as-of "$3" --store "$4/store.sqlite" --out "$4/out/$i" -q >>"$4/sweeps.log" 2>&1 && ok=$((ok + 1))
    done
    echo "$ok" >"$4/ok"' _ "$CSV" "$GOVSWEEP" "$ASOF" "$D"
  wall="$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
  read -r _ cpu _ <<<"$(timing "$D/time.txt")"
  pages="$(pages_served)"
  row sqlite 1 "$SITES" "$(cat "$D/ok")" "$wall" "$(awk -v s="$SITES" -v w="$wall" 'BEGIN { printf "%.1f", 60 * s / w }')" \
    "$pages" "$(awk -v p="$pages" -v w="$wall" 'BEGIN { printf "%.0f", p / w }')" "$cpu" - - "$la"
fi

# 4. PostgreSQL: a fresh cluster and round for each worker count.
if [ "$DO_PG" = 1 ]; then
  for W in $WORKERS_LIST; do
    D="$WORK/fleet-pg-$W"
    rm -rf "$D"; mkdir -p "$D"
    store="$("$PGSCRIPT" start "$D/pg" | tail -1)"
    STOPS+=("\"$PGSCRIPT\" stop \"$D/pg\" >/dev/null")
    # The superuser's psql on the cluster's socket (pg-throwaway.sh trusts it).
    su_psql() {
      local port; port="$(cat "$D/pg/port")"
      if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -X -q -h "$D/pg" -p "$port" -U postgres -d govsweep -v ON_ERROR_STOP=1 "$@"
      else
        /usr/lib/postgresql/15/bin/psql -X -q -h "$D/pg" -p "$port" -U postgres -d govsweep -v ON_ERROR_STOP=1 "$@"
      fi
    }
    if [ "$PGSTATS" = 1 ]; then
      printf "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = all\npg_stat_statements.track_planning = on\n" >>"$D/pg/data/postgresql.conf"
      "$PGSCRIPT" restart "$D/pg"
      su_psql -c "CREATE EXTENSION pg_stat_statements"
    fi
    if [ "$PGPERF" = 1 ]; then
      # The postmaster started again under perf (its backends are its children): not through
      # pg_ctl, which waits for the process it started to be the postmaster.
      port="$(cat "$D/pg/port")"
      as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
      as_pg /usr/lib/postgresql/15/bin/pg_ctl -D "$D/pg/data" -m fast -w stop >/dev/null
      as_pg perf record -q -F 999 --call-graph dwarf,16384 -o "$D/pg/postgres.perf" -- /usr/lib/postgresql/15/bin/postgres \
        -D "$D/pg/data" -c listen_addresses=127.0.0.1 -c port="$port" -c unix_socket_directories="$D/pg" >>"$D/pg/postgres.log" 2>&1 &
      for _ in $(seq 100); do su_psql -c "SELECT 1" >/dev/null 2>&1 && break; sleep 0.2; done
    fi
    "$GOVSWEEP" fleet init --store "$store" >"$D/init.log" 2>&1
    # Server-side experiments (settings, storage) before the workers connect.
    [ -n "$PGSQL" ] && /usr/lib/postgresql/15/bin/psql -q -v ON_ERROR_STOP=1 "$store" -f "$PGSQL" >>"$D/init.log" 2>&1
    "$GOVSWEEP" fleet add "$CSV" --store "$store" >"$D/add.log" 2>&1
    round="$("$GOVSWEEP" fleet round --as-of "$ASOF" --store "$store" | tail -1)"
    pidfile="$(find "$D/pg" -maxdepth 3 -name postmaster.pid | head -1)"
    pm="$(head -1 "$pidfile")"
    la="$(load1)"
    : >"$LOG"
    [ "$PGSTATS" = 1 ] && su_psql -c "SELECT pg_stat_statements_reset(), pg_stat_reset()" >/dev/null
    pg_settle "$pm"
    pg0="$(pg_cpu "$pm")"
    t0="$(now)"
    pids=()
    for i in $(seq 1 "$W"); do
      perf=()
      [ "$PERF" = 1 ] && [ "$i" = 1 ] && perf=(perf record -q -F 300 --call-graph dwarf,16384 -o "$D/worker-1.perf" --)
      $TIME -v -o "$D/time-$i.txt" "${perf[@]}" "$GOVSWEEP" worker --store "$store" --concurrency "$CONC" --exit-when-idle >"$D/worker-$i.log" 2>&1 &
      pids+=($!)
    done
    bad=0
    for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
    wall="$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
    pg_settle "$pm"
    pg1="$(pg_cpu "$pm")"
    if [ "$PGSTATS" = 1 ]; then
      su_psql -P pager=off -c "
        SELECT calls, rows, round(total_exec_time) AS ms, round(total_plan_time) AS plan_ms,
               round((100 * total_exec_time / sum(total_exec_time) OVER ())::numeric, 1) AS pct,
               left(regexp_replace(query, '\\s+', ' ', 'g'), 150) AS query
        FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 40" \
        -c "SELECT sessions, round(session_time) AS session_ms, round(active_time) AS active_ms,
                   xact_commit, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = 'govsweep'" \
        -c "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del,
                   (SELECT count(*) FROM pg_index i WHERE i.indrelid = s.relid) AS indexes,
                   pg_size_pretty(pg_total_relation_size(relid)) AS size
            FROM pg_stat_user_tables s ORDER BY n_tup_ins + n_tup_upd DESC" >"$D/statements.txt" 2>&1 || true
      # The statements' time (execution and planning) by what they do: the store's write path
      # (the page batches with their URL ids; the runs, findings and probes; a job's end with its
      # results and report files) against the claims, leases, hosts and locks, and the reads.
      classes="WITH s AS (
          SELECT btrim(lower(regexp_replace(query, '\\s+', ' ', 'g'))) AS q, calls, total_exec_time + total_plan_time AS ms
          FROM pg_stat_statements), c AS (
          SELECT CASE
            WHEN q LIKE 'with page_rows %' OR q LIKE 'insert into urls %' OR q LIKE 'select id::text, url from urls %'
              THEN 'write path: page batches, URL ids'
            WHEN q LIKE 'insert into runs %' OR q LIKE 'update runs %' OR q LIKE 'delete from findings %'
              OR q LIKE 'insert into findings %' OR q LIKE 'insert into probes %' OR q LIKE 'update fleet_jobs set run_id %'
              THEN 'write path: runs, findings, probes'
            WHEN q LIKE '%fleet_job_files%' OR q LIKE 'update fleet_jobs set state = ''done''%'
              THEN 'write path: job end (results, report files)'
            WHEN q LIKE '%fleet\\_%' OR q LIKE '%advisory%' OR q IN ('begin', 'commit', 'rollback')
              THEN 'claims, leases, hosts, locks'
            ELSE 'reads (runs, baseline, broken-link sources, first-seen)' END AS class, calls, ms FROM s)"
      su_psql -P pager=off -c "$classes SELECT class, sum(calls) AS calls, round(sum(ms)) AS ms,
                 round((100 * sum(ms) / sum(sum(ms)) OVER ())::numeric, 1) AS pct FROM c GROUP BY class ORDER BY class" \
        -c "SELECT 'pages.facts' AS blob, count(facts) AS n, round(avg(octet_length(facts))) AS bytes, round(avg(pg_column_size(facts))) AS stored FROM pages
            UNION ALL SELECT 'page_links.data', count(*), round(avg(octet_length(data))), round(avg(pg_column_size(data))) FROM page_links
            UNION ALL SELECT 'fleet_job_files.body', count(*), round(avg(octet_length(body))), round(avg(pg_column_size(body))) FROM fleet_job_files" \
        >>"$D/statements.txt" 2>&1 || true
      wf="$(su_psql -At -c "$classes SELECT round((sum(ms) FILTER (WHERE class LIKE 'write path%') / nullif(sum(ms), 0))::numeric, 3) FROM c" 2>/dev/null || echo)"
    fi
    cpu=0
    for i in $(seq 1 "$W"); do
      read -r _ c _ <<<"$(timing "$D/time-$i.txt")"
      cpu="$(awk -v a="$cpu" -v b="$c" 'BEGIN { printf "%.2f", a + b }')"
    done
    pages="$(pages_served)"
    "$GOVSWEEP" fleet status --json --store "$store" >"$D/status.json" 2>&1 || true
    ok="$(sites_served)"
    [ "$bad" = 0 ] || echo "fleet.sh: $bad of $W workers exited non-zero (logs in $D)" >&2
    pgc="$(awk -v a="$pg0" -v b="$pg1" 'BEGIN { printf "%.2f", b - a }')"
    row postgres "$W" "$SITES" "$ok" "$wall" "$(awk -v s="$SITES" -v w="$wall" 'BEGIN { printf "%.1f", 60 * s / w }')" \
      "$pages" "$(awk -v p="$pages" -v w="$wall" 'BEGIN { printf "%.0f", p / w }')" "$cpu" "$pgc" \
      "$(awk -v p="$pgc" -v c="$cpu" 'BEGIN { printf "%.1f%%", ((p + c) > 0 ? 100 * p / (p + c) : 0) }')" "$la"
    if [ "$PGSTATS" = 1 ] && [ -n "${wf:-}" ]; then
      echo "fleet: the store's write path is $(awk -v f="$wf" 'BEGIN { printf "%.0f%%", 100 * f }') of the server's statement time: about $(awk -v f="$wf" -v p="$pgc" -v c="$cpu" 'BEGIN { printf "%.1f%%", ((p + c) > 0 ? 100 * f * p / (p + c) : 0) }') of the round's CPU (of PostgreSQL's $(awk -v p="$pgc" -v c="$cpu" 'BEGIN { printf "%.1f%%", ((p + c) > 0 ? 100 * p / (p + c) : 0) }'))" | tee -a "$D/statements.txt" >&2
    fi
    "$PGSCRIPT" stop "$D/pg" >/dev/null 2>&1 || true
    if [ "$PERF" = 1 ] && [ -s "$D/worker-1.perf" ]; then
      perf script -f -i "$D/worker-1.perf" -F comm,period,ip,sym 2>/dev/null | python3 -c '
import subprocess, sys
# Each sample: its thread, its period and its frames (mangled, as perf prints Swift symbols).
samples, comm, period, frames = [], None, 0, []
for line in sys.stdin:
    if not line.strip():
        if comm is not None: samples.append((comm, period, frames))
        comm = None; continue
    if not line.startswith("\t") and comm is None:
        head = line.rsplit(None, 1)
        comm, period, frames = head[0].strip(), int(head[1]) if head[1].isdigit() else 1, []
    else:
        f = line.strip().split(None, 1)
        frames.append(f[1] if len(f) > 1 else f[0])
if comm is not None: samples.append((comm, period, frames))
# The frames demangled (swift demangle, once a symbol): the write path is told by function name.
names = sorted({f for _, _, fs in samples for f in fs if f.startswith("$s")})
try:
    out = subprocess.run(["swift", "demangle"], input="\n".join(names), capture_output=True, text=True, check=True).stdout.split("\n")
    plain = dict(zip(names, out)) if len(out) >= len(names) else None
except Exception:
    plain = None
# The store write path on the worker threads: the batch writes (with their URL ids), the runs
# written, the findings saved, probes, and the job end (its results and report files); not the
# claims, the lease beats, the locks or the reads (baseline, broken-link sources, first-seen).
WRITES = ("PGStore.PostgresStore.record(", "PGStore.PostgresStore.insertURLs(", "PGStore.PostgresStore.recordProbe(",
          "PGStore.PostgresStore.createRun(", "PGStore.PostgresStore.finishRun(", "PGStore.PostgresStore.saveFindings(",
          "Fleet.FleetDatabase.finish(", "Fleet.FleetDatabase.recordRun(", "Fleet.ClaimSQL.Finish",
          "<Fleet.ClaimSQL.DeleteFiles>", "<Fleet.ClaimSQL.InsertFiles>", "<Fleet.ClaimSQL.FreeHosts>")
# On the event loops: the sends (a statement and its parameters through the pipeline to the
# socket: mostly the batches bytes) apart from the rest (answers read and decoded, promises, waits).
SENDS = ("NIOCore.ChannelPipeline._write0(", "NIOCore.ChannelPipeline._flush0(", "PostgresNIO.PostgresChannelHandler.write(",
         "PostgresNIO.PostgresChannelHandler.flush(", "NIOPosix.BaseSocketChannel.flush0(", "NIOPosix.BaseSocketChannel.flushNow(")
total = store = loops = record = writes = sends = 0
for comm, period, frames in samples:
    total += period
    ours = any("PGStore" in f or "PostgresNIO" in f for f in frames)
    loop = comm.startswith("NIO-")
    if ours or loop: store += period
    if loop:
        loops += period
        if plain and any(s in plain.get(f, "") for f in frames for s in SENDS): sends += period
    else:
        if any("PostgresStore" in f and "record" in f for f in frames): record += period
        if plain and any(w in plain.get(f, "") for f in frames for w in WRITES): writes += period
pct = lambda x: 100.0 * x / total if total else 0
print("worker 1 samples (by period): store code %.1f%% (event loops %.1f%%, PostgresStore.record on other threads %.1f%%)" % (pct(store), pct(loops), pct(record)))
if plain:
    print("worker 1 store write path: %.1f%% (writes on the worker threads %.1f%%, event loops sending %.1f%%); with all of the event loops %.1f%%"
          % (pct(writes + sends), pct(writes), pct(sends), pct(writes + loops)))
else:
    print("worker 1 store write path: not split (swift demangle did not run)")
' >"$D/store-share.txt" || true
      sed "s/^/fleet: /" "$D/store-share.txt" >&2
    fi
    echo "fleet: round $round with $W workers done" >&2
  done
fi

# 5. The table, with pages/s against the SQLite row.
awk -F'\t' '
  NR == 1 { printf "%-9s %7s %5s %5s %8s %9s %7s %8s %8s %8s %8s %9s %5s\n", "path", "workers", "sites", "ok", "wall_s", "sites/min", "pages", "pages/s", "cpu_s", "pg_cpu_s", "pg_share", "vs_sqlite", "load"; next }
  $1 == "sqlite" { base = $8 }
  { rows[NR] = $0 }
  END {
    for (i = 2; i <= NR; i++) {
      split(rows[i], f, "\t")
      vs = (base > 0) ? sprintf("%.2fx", f[8] / base) : "-"
      printf "%-9s %7s %5s %5s %8s %9s %7s %8s %8s %8s %8s %9s %5s\n", f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], vs, f[12]
    }
  }' "$RESULTS"
echo "(results: $RESULTS)" >&2
