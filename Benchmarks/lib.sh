# Shared by the benchmark scripts (sourced): the generated site and nginx serving it.
# Expects N, HERE, WORK, SITE, PORT (empty for a free one) and python3/nginx present.

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
