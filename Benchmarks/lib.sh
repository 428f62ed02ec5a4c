# Shared by the benchmark scripts (sourced after N and PORT are parsed): the paths, the tool
# check, the generated site and nginx serving it.

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
WORK="$HERE/work"
SITE="$WORK/site-$N"
GOVSWEEP="${GOVSWEEP:-$ROOT/.build/release/govsweep}"
TIME=/usr/bin/time
mkdir -p "$WORK"

# Stops with the apt-get line when any of nginx, GNU time, python3 or the named extra tools is missing.
require_tools() {
  local missing=()
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ -x "$TIME" ] || missing+=(time)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  local t
  for t in "$@"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]}" >&2
    echo "install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  # A free port unless one was given (other nginx instances may be running).
  [ -n "${PORT:-}" ] || PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
}

# Generates the site once per N (deterministic), starts nginx on 127.0.0.1:$PORT with its own
# config, pid and temp paths under $WORK/nginx, stops it on exit; sets URL and PAGES_ON_DISK.
start_site() {
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
  # 1. The site (generated once per N; deterministic).
  if [ ! -f "$SITE/.generated" ]; then
    echo "generating $N pages in $SITE ..." >&2
    rm -rf "$SITE"
    python3 "$HERE/gen_site.py" "$N" "$SITE"
  fi
  PAGES_ON_DISK=$(find "$SITE" -name '*.html' | wc -l)

  # 2. nginx with its own config, pid and temp paths under WORK.
  NG="$WORK/nginx"
  rm -rf "$NG"; mkdir -p "$NG/tmp"
  USER_LINE=""
  [ "$(id -u)" = 0 ] && USER_LINE="user root;"   # workers must read the work tree
  cat > "$NG/nginx.conf" <<CONF
$USER_LINE
worker_processes 2;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 100000;
  types { text/html html; text/xml xml; text/plain txt; }
  default_type application/octet-stream;
  charset utf-8;
  client_body_temp_path $NG/tmp/body;
  proxy_temp_path $NG/tmp/proxy;
  fastcgi_temp_path $NG/tmp/fastcgi;
  uwsgi_temp_path $NG/tmp/uwsgi;
  scgi_temp_path $NG/tmp/scgi;
  server {
    listen 127.0.0.1:$PORT;
    root $SITE;
    index index.html;
  }
}
CONF
  "$NGINX" -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log"
  trap '"$NGINX" -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" -s stop 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && break; sleep 0.1; done
  URL="http://127.0.0.1:$PORT/"
}

# Reads a /usr/bin/time -v file; prints "wall cpu rss_mb".
timing() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n=split($2,a,":"); w=0; for(i=1;i<=n;i++) w=w*60+a[i] }
    /User time/ { u=$2 } /System time/ { s=$2 }
    /Maximum resident set size/ { r=$2 }
    END { printf "%.2f %.2f %.1f\n", w, u+s, r/1024 }' "$1"
}
