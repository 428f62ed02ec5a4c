#!/usr/bin/env bash
# What rendering script-filled pages costs (issue 17): the realistic portal of gensite.py with K
# pages made script-filled (the home page and column list pages: one list each fetched from a
# same-host JSON file after load, as /api/ lists are), swept with --render never and --render auto in alternating rounds,
# a fresh store each sweep.
#
# usage: Benchmarks/render.sh [N] [--scripted K] [--rounds R] [--port PORT]
# (default N 20000, K 5, R 3)
#
# Prints per sweep wall, CPU (govsweep and the browsers it waited for) and peak RSS, the medians,
# auto/never, and the cost per rendered page: (auto - never) / pages rendered, wall and CPU, and the
# renders' own wall seconds as govsweep reports them. Needs nginx, GNU time, python3, chromium.
set -euo pipefail

N=20000
K=5
ROUNDS=3
PORT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --scripted) K="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    -h|--help) sed -n "2,13p" "$0"; exit 0 ;;
    *) N="$1"; shift ;;
  esac
done
SITE_KIND=portal
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
require_tools chromium
[ -x "$GOVSWEEP" ] || { echo "govsweep binary not found at $GOVSWEEP (swift build -c release, or set GOVSWEEP)" >&2; exit 2; }

# The plain portal (generated once), then a copy with K column pages script-filled: files
# hard-linked, the changed pages written anew.
PLAIN="$SITE"
if [ ! -f "$PLAIN/.gensite-done" ]; then
  echo "generating the $N-page portal in $PLAIN ..." >&2
  rm -rf "$PLAIN"; python3 "$GENSITE" "$N" "$PLAIN" >&2; touch "$PLAIN/.gensite-done"
fi
SCRIPTED="$WORK/portal-$N-scripted-$K"
rm -rf "$SCRIPTED"; cp -al "$PLAIN" "$SCRIPTED"
python3 - "$SCRIPTED" "$K" <<'PY'
import json, os, re, sys
root, k = sys.argv[1], int(sys.argv[2])
# Columns: folders with monthly article folders (202306/), not the static pages' folders.
cols = sorted(d for d in os.listdir(root) if os.path.isfile(os.path.join(root, d, "index.html"))
              and any(re.fullmatch(r"\d{6}", x) for x in os.listdir(os.path.join(root, d))))
# The home page and the columns' second list pages; their introduction (running text long enough
# to be read as an article page) is left out, so the column rules read them as list pages.
targets = ["index.html"] + [os.path.join(col, "index_1.html") for col in cols]
done = 0
for target in targets:
    if done == k:
        break
    path = os.path.join(root, target)
    if not os.path.isfile(path):
        continue
    col = os.path.dirname(target) or "home"
    html = open(path, encoding="utf-8").read()
    lists = list(re.finditer(r'<ul class="list">(.*?)</ul>', html, re.S))
    if not lists:
        continue
    own = max(lists, key=lambda m: m.group(1).count("<li"))  # the column's own list, not the sidebar's
    items = [{"title": t, "url": u, "date": d} for u, t, d in
             re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a><span>([0-9-]+)</span></li>', own.group(1))]
    if len(items) < 2:
        continue
    script = ('<ul class="list" id="render-list"></ul><script>fetch("/%s.json").then(function (r) { return r.json(); })'
              '.then(function (d) { document.getElementById("render-list").innerHTML = d.map(function (x) {'
              ' return \'<li><a href="\' + x.url + \'">\' + x.title + \'</a><span>\' + x.date + \'</span></li>\'; }).join(""); });</script>') % col
    html = html[:own.start()] + "@@LIST@@" + html[own.end():]
    if col != "home":
        # Without the introduction and the sidebar's dated list: a list page whose only list is
        # the script's, as a column page filled after load is (the rules judge a dated static list
        # as it stands, and read a page of running text as an article).
        html = re.sub(r'<div class="intro">.*?</div>', "", html, count=1, flags=re.S)
        html = re.sub(r'<ul class="list">.*?</ul>', "", html, flags=re.S)
        # (The top bar's 今天是2023年6月28日 sits beside a link: the column rules would read it as a
        # dated item of the page and judge the static page by it.)
        html = re.sub(r'今天是\d{4}年\d{1,2}月\d{1,2}日', "", html)
    html = html.replace("@@LIST@@", script)
    os.unlink(path)
    open(path, "w", encoding="utf-8").write(html)
    json.dump(items, open(os.path.join(root, col + ".json"), "w", encoding="utf-8"), ensure_ascii=False)
    done += 1
print(f"{done} pages script-filled (the home page and column list pages)", file=sys.stderr)
PY
SITE="$SCRIPTED"
start_site

R="$WORK/render-$N-$K"
rm -rf "$R"; mkdir -p "$R"
: > "$R/results.tsv"
sweep() {  # name round mode
  local name="$1-$2"
  rm -f "$R/store.sqlite"*
  "$TIME" -v -o "$R/$name.time" "$GOVSWEEP" sweep "$URL" --as-of 2023-07-01 --max-pages $((2 * N)) \
      --concurrency 16 --per-host 16 --store "$R/store.sqlite" --out "$R/$name" --quiet --render "$3" > "$R/$name.txt"
  read -r wall cpu rss < <(timing "$R/$name.time")
  local line; line=$(grep -o 'rendering: .*' "$R/$name.txt" || true)
  echo "$1	$2	$wall	$cpu	$rss	$line" >> "$R/results.tsv"
  echo "$name: wall $wall s, CPU $cpu s, peak $rss MB ${line:+($line)}" >&2
}
# (The load says how much the figures owe to others' work on a shared machine.)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq "$ROUNDS"); do
  sweep never "$r" never
  sweep auto "$r" auto
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 - "$R/results.tsv" <<'PY'
import re, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
def med(mode, col):
    return statistics.median(float(r[col]) for r in rows if r[0] == mode)
rendered = [int(m.group(1)) for r in rows if r[0] == "auto" for m in [re.search(r"rendering: (\d+) page", r[5])] if m]
secs = [float(m.group(1)) for r in rows if r[0] == "auto" for m in [re.search(r"rendered in ([0-9.]+) s", r[5])] if m]
print("mode\twall s\tCPU s\tpeak MB  (medians of %d rounds)" % len([r for r in rows if r[0] == "never"]))
for mode in ("never", "auto"):
    print(f"{mode}\t{med(mode, 2):.2f}\t{med(mode, 3):.2f}\t{med(mode, 4):.1f}")
w, c = med("auto", 2) / med("never", 2), med("auto", 3) / med("never", 3)
print(f"auto/never: wall {w:.3f}, CPU {c:.3f} (target: wall within 1.10)")
if rendered and rendered[0] > 0:
    n = statistics.median(rendered)
    print(f"per rendered page ({n:.0f} pages): wall +{(med('auto', 2) - med('never', 2)) / n:.2f} s, "
          f"CPU +{(med('auto', 3) - med('never', 3)) / n:.2f} s; the render itself {statistics.median(secs) / n:.2f} s wall")
# Paired by round (never, then auto): less at the mercy of load that changes over the run.
pairs = [(a, b) for a, b in zip([r for r in rows if r[0] == "never"], [r for r in rows if r[0] == "auto"])]
print("auto/never by round: wall " + ", ".join(f"{float(b[2]) / float(a[2]):.2f}" for a, b in pairs)
      + "; CPU " + ", ".join(f"{float(b[3]) / float(a[3]):.2f}" for a, b in pairs))
PY
