#!/usr/bin/env bash
# Sitemap and robots.txt benchmark: the CPU time per sitemap entry and per robots.txt rule
# of a sweep, which must stay flat as they grow (no step may grow faster than linearly).
#
# usage: Benchmarks/sitemap-robots.sh [--port PORT] [--quick]
# (--quick: sitemaps of 10k and 100k entries only, robots.txt of 1k and 10k rules)
#
# Each case is a small site of its own (nginx, one server block per case on 127.0.0.1):
#   sitemap-N  a home page, a sitemap index of N/50,000 gzip files (.xml.gz, the sitemaps.org
#              limit per file) listing N URLs under /p/, and a robots.txt disallowing /p/:
#              every entry is read, parsed, checked against robots.txt and counted as
#              skipped, and no page but the home page is fetched. N = 10k, 100k, 1M.
#   robots-R   a robots.txt of R rules (none matching but the first, `Disallow: /p/`), up to
#              the 500 KiB a crawler must read (RFC 9309 §2.5: 18,000 rules of 27 bytes fill 486 KiB),
#              and a 10,000-entry sitemap: every entry is checked against every rule set.
#   base       a home page, an empty sitemap: the fixed cost (start-up, profile, report),
#              subtracted before dividing.
# Each sweep runs under /usr/bin/time -v (fresh store); the script checks that findings.json's
# pages.skipped holds every entry (so the entries were all read), and prints CPU s, peak RSS
# and µs per entry; per rule for the robots cases.
set -euo pipefail

PORT=""
QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    -h|--help) sed -n "2,21p" "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

N=0  # lib.sh names the gen_site site after N; this script makes its own sites.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
require_tools gzip
[ -x "$GOVSWEEP" ] || { echo "govsweep binary not found at $GOVSWEEP (swift build -c release, or set GOVSWEEP)" >&2; exit 2; }

if [ "$QUICK" = 1 ]; then SITEMAPS="10000 100000"; RULES="1000 10000"; else SITEMAPS="10000 100000 1000000"; RULES="1000 10000 18000"; fi
B="$WORK/sitemap-robots"
mkdir -p "$B"

# 1. The sites (generated once; deterministic).
python3 - "$B" "$SITEMAPS" "$RULES" <<'PY'
import gzip, os, sys
root, sitemaps, rules = sys.argv[1], [int(x) for x in sys.argv[2].split()], [int(x) for x in sys.argv[3].split()]
PER_FILE = 50_000

def site(name, entries, robots_rules):
    d = os.path.join(root, name)
    if os.path.exists(os.path.join(d, ".generated")):
        return
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "index.html"), "w") as f:
        f.write('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>江临市人民政府</title></head>'
                '<body><a href="/p/0.html">第一页</a></body></html>\n')
    # Relative locations: the sweep resolves them against the sitemap's own URL, so the
    # files do not depend on the port.
    files = []
    for k, start in enumerate(range(0, entries, PER_FILE)):
        fn = f"sitemap-{k}.xml.gz"
        with gzip.open(os.path.join(d, fn), "wt", compresslevel=6) as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
            for i in range(start, min(entries, start + PER_FILE)):
                f.write(f"<url><loc>/p/{i // 1000}/{i}.html</loc><lastmod>2026-11-01</lastmod></url>\n")
            f.write("</urlset>\n")
        files.append(fn)
    with open(os.path.join(d, "sitemap.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
        for fn in files:
            f.write(f"<sitemap><loc>/{fn}</loc></sitemap>\n")
        f.write("</sitemapindex>\n")
    with open(os.path.join(d, "robots.txt"), "w") as f:
        # The rule that matches and the sitemap line first: past 500 KiB nothing is read.
        f.write("User-agent: *\nDisallow: /p/\nSitemap: /sitemap.xml\n")
        for i in range(robots_rules - 1):
            f.write(f"Disallow: /a/{i:06d}/*.html$\n")
    open(os.path.join(d, ".generated"), "w").close()

site("base", 0, 1)
for n in sitemaps:
    site(f"sitemap-{n}", n, 1)
for r in rules:
    site(f"robots-{r}", 10_000, r)
PY

CASES="base"
for n in $SITEMAPS; do CASES="$CASES sitemap-$n"; done
for r in $RULES; do CASES="$CASES robots-$r"; done

# 2. nginx: one port per case (robots.txt and sitemap.xml live at a host's root).
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
NG="$WORK/nginx-sitemap-robots"
rm -rf "$NG"; mkdir -p "$NG/tmp"
USER_LINE=""
[ "$(id -u)" = 0 ] && USER_LINE="user root;"
declare -A PORTS
SERVERS=""
for c in $CASES; do
  p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  PORTS[$c]=$p
  SERVERS="$SERVERS  server { listen 127.0.0.1:$p; root $B/$c; index index.html; }
"
done
cat > "$NG/nginx.conf" <<CONF
$USER_LINE
worker_processes 2;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_timeout 65;
  types { text/html html; text/xml xml; text/plain txt; application/gzip gz; }
  default_type application/octet-stream;
  client_body_temp_path $NG/tmp/body;
  proxy_temp_path $NG/tmp/proxy;
  fastcgi_temp_path $NG/tmp/fastcgi;
  uwsgi_temp_path $NG/tmp/uwsgi;
  scgi_temp_path $NG/tmp/scgi;
$SERVERS}
CONF
"$NGINX" -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log"
trap '"$NGINX" -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" -s stop 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:${PORTS[base]}/" 2>/dev/null && break; sleep 0.1; done

# 3. The sweeps.
R="$B/results"
rm -rf "$R"; mkdir -p "$R"
sweep() {  # case entries
  local c="$1" n="$2"
  echo "sweep: $c ..." >&2
  "$TIME" -v -o "$R/$c.time" "$GOVSWEEP" sweep "http://127.0.0.1:${PORTS[$c]}/" --as-of 2026-11-29 \
      --max-pages $((n + 100)) --store "$R/$c.sqlite" --out "$R/$c" --quiet > "$R/$c.txt"
  local skipped
  skipped=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages"]["skipped"])' "$R/$c/findings.json")
  [ "$skipped" -ge "$n" ] || { echo "$c: $skipped skipped, expected $n: the sitemap was not read whole" >&2; exit 1; }
  read -r wall cpu rss < <(timing "$R/$c.time")
  echo "$c	$n	$wall	$cpu	$rss" >> "$R/results.tsv"
}
: > "$R/results.tsv"
sweep base 0
for n in $SITEMAPS; do sweep "sitemap-$n" "$n"; done
for r in $RULES; do sweep "robots-$r" 10000; done

python3 - "$R/results.tsv" "$B" <<'PY'
import os, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
base_cpu = float(rows[0][3])
print("case\tentries\twall s\tCPU s\tpeak RSS MB\tCPU µs per entry (above base)")
for c, n, wall, cpu, rss in rows:
    n = int(n)
    per = f"{(float(cpu) - base_cpu) / n * 1e6:.2f}" if n else "-"
    extra = ""
    if c.startswith("robots-"):
        size = os.path.getsize(os.path.join(sys.argv[2], c, "robots.txt"))
        extra = f"\t(robots.txt {size / 1024:.0f} KiB, {int(c[7:])} rules)"
    print(f"{c}\t{n}\t{wall}\t{cpu}\t{rss}\t{per}{extra}")
sm = [(int(n), float(cpu)) for c, n, _, cpu, _ in rows if c.startswith("sitemap-")]
if len(sm) >= 2:
    per = [(cpu - base_cpu) / n for n, cpu in sm]
    print(f"\nsitemap: µs per entry from {sm[0][0]} to {sm[-1][0]} entries: "
          + " -> ".join(f"{p * 1e6:.2f}" for p in per) + f" (largest / smallest {max(per) / min(per):.2f}; flat is about 1)")
rb = [(int(c[7:]), float(cpu)) for c, n, _, cpu, _ in rows if c.startswith("robots-")]
if len(rb) >= 2:
    per = [(cpu - base_cpu) / 10_000 for r, cpu in rb]
    print("robots: µs per sitemap URL checked, by rule count: "
          + ", ".join(f"{r}: {p * 1e6:.2f}" for (r, _), p in zip(rb, per))
          + " (flat: a URL's check does not grow with the rules)")
PY
