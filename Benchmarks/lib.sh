# Shared by the benchmark scripts (sourced after N and PORT are parsed): the paths, the tool
# check, the generated site and nginx serving it.

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
WORK="$HERE/work"
# SITE_KIND: gen (gen_site.py, the default here) or portal (the realistic portal of
# $GENSITE, by default /work/shared/bench/gensite.py: TRS-style columns, a sitemap of every page).
SITE_KIND="${SITE_KIND:-gen}"
GENSITE="${GENSITE:-/work/shared/bench/gensite.py}"
if [ "$SITE_KIND" = portal ]; then SITE="$WORK/portal-$N"; else SITE="$WORK/site-$N"; fi
GOVSWEEP_GIVEN="${GOVSWEEP:+1}"
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
  # Debian's package for a command, where the names differ.
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 && continue
    case "$t" in
      perf) missing+=(linux-perf) ;;
      curl-config) missing+=(libcurl4-openssl-dev) ;;
      xml2-config) missing+=(libxml2-dev) ;;
      *) missing+=("$t") ;;
    esac
  done
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
# With ACCESS_LOG=1 nginx logs "METHOD STATUS URI" a request to $ACCESS_LOG_FILE (pages counted
# by the server, the same way for every tool; truncate it before each run).
start_site() {
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
  # 1. The site (generated once per N; deterministic).
  if [ "$SITE_KIND" = portal ]; then
    if [ ! -f "$SITE/.gensite-done" ]; then
      [ -f "$GENSITE" ] || { echo "the portal generator $GENSITE is missing (set GENSITE)" >&2; exit 2; }
      echo "generating the $N-page portal in $SITE ..." >&2
      rm -rf "$SITE"
      python3 "$GENSITE" "$N" "$SITE" >&2
    fi
    for f in "$SITE"/sitemap*.xml; do [ -f "$f.orig" ] || mv "$f" "$f.orig"; done
  elif [ ! -f "$SITE/.generated" ]; then
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
  # The portal's sitemap names its public host; a real portal's names the host it is served
  # from, so they are rewritten to this port.
  if [ "$SITE_KIND" = portal ]; then
    for f in "$SITE"/sitemap*.xml.orig; do
      sed "s#http://www\.jianglin\.gov\.cn#http://127.0.0.1:$PORT#g" "$f" > "${f%.orig}"
    done
  fi
  if [ "${ACCESS_LOG:-0}" = 1 ]; then
    ACCESS_LOG_FILE="$NG/access.log"
    sed -i "s#^  access_log off;#  log_format bench '\$request_method \$status \$uri';\n  access_log $ACCESS_LOG_FILE bench;#" "$NG/nginx.conf"
  fi
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

# For the scripts that sweep into PostgreSQL (fleet.sh, incremental.sh --postgres): unless
# GOVSWEEP names a binary, builds the release binary with the package trait PostgreSQL (off by
# default; an incremental build when the dependencies are built), and stops in one line when the
# binary has no PostgreSQL support.
require_postgresql_build() {
  if [ -z "$GOVSWEEP_GIVEN" ]; then
    echo "swift build -c release --traits PostgreSQL" >&2
    (cd "$ROOT" && swift build -c release --traits PostgreSQL) >&2 || exit 2
  fi
  local help
  help=$("$GOVSWEEP" --help 2>&1 || true)
  case "$help" in
    *"no PostgreSQL support"*)
      echo "$GOVSWEEP has no PostgreSQL support: swift build -c release --traits PostgreSQL (or set GOVSWEEP)" >&2
      exit 2
      ;;
  esac
}
