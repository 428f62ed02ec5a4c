#!/usr/bin/env bash
# Renders a report.html to PNG with headless Chromium, so anyone can see it the way a user does.
# usage: scripts/screenshot-report.sh [REPORT.html] [OUT.png] [WIDTHxHEIGHT]
# Needs Debian's chromium and a CJK font (apt-get install chromium fonts-noto-cjk).
set -euo pipefail
report="${1:-Reports/demo/report.html}"
out="${2:-${report%.html}.png}"
size="${3:-1200x2400}"
[ -f "$report" ] || { echo "screenshot: $report: no such file (run govsweep demo first)" >&2; exit 2; }
command -v chromium >/dev/null || { echo "screenshot: chromium is missing: apt-get install chromium fonts-noto-cjk" >&2; exit 2; }
fc-list :lang=zh 2>/dev/null | grep -q . || echo "screenshot: no CJK font found; Chinese text will show as boxes (apt-get install fonts-noto-cjk)" >&2
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="${size/x/,}" \
  --screenshot="$(realpath -m "$out")" "file://$(realpath "$report")" 2>/dev/null
echo "$out"
