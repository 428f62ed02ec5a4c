#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster (Debian's postgresql package) for the tests, CI and the
# fleet demo: its data, socket and log under DIR, listening on 127.0.0.1 and a free port,
# with role and database `govsweep` (trusted from 127.0.0.1; every other role needs its
# password). Nothing outside DIR is touched.
#
#   scripts/pg-throwaway.sh start DIR     prints postgres://govsweep@127.0.0.1:PORT/govsweep last
#   scripts/pg-throwaway.sh restart DIR   restarts it on the same port (the reconnect test)
#   scripts/pg-throwaway.sh stop DIR      stops it and deletes its data
#
# PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user the
# package creates (DIR is handed to it).
set -euo pipefail
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|restart|stop DIR" >&2
  exit 2
fi
bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/pg_ctl" ]; then
  echo "pg-throwaway: PostgreSQL 15 is not installed (scripts/setup.sh --with-postgres)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {
  local port
  port=$(cat "$dir/port")
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" start >/dev/null
}

case "$cmd" in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -e "$dir/data" ]; then
    echo "pg-throwaway: $dir/data exists (stop it first)" >&2
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    # initdb runs as postgres, which must reach DIR: a folder above it that only root may enter
    # (mktemp -d makes them mode 700) stops it with a confusing "could not access directory".
    if ! runuser -u postgres -- test -w "$dir"; then
      p="$dir" shut="$dir"
      while [ "$p" != / ]; do
        p="$(dirname "$p")"
        runuser -u postgres -- test -x "$p" || shut="$p"
      done
      echo "pg-throwaway: the postgres user cannot enter $shut (chmod a+x it, or put DIR elsewhere)" >&2
      exit 1
    fi
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  # Local socket: trusted (the script's own psql). TCP: govsweep trusted, every other role by
  # password (the tests' wrong-password case).
  cat >"$dir/data/pg_hba.conf" <<'EOF'
local all all                 trust
host  all govsweep 127.0.0.1/32 trust
host  all all      127.0.0.1/32 scram-sha-256
EOF
  free_port >"$dir/port"
  pg_start
  port=$(cat "$dir/port")
  # (CREATEROLE: the tests make a role with a password to be refused.)
  as_owner "$bin/psql" -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE govsweep LOGIN CREATEROLE" -c "CREATE DATABASE govsweep OWNER govsweep" >/dev/null
  echo "pg-throwaway: PostgreSQL 15 on 127.0.0.1:$port, data in $dir/data" >&2
  echo "postgres://govsweep@127.0.0.1:$port/govsweep"
  ;;
restart)
  dir=$(cd "$dir" && pwd)
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  pg_start
  ;;
stop)
  [ -d "$dir" ] || exit 0
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$dir/data"
  ;;
*)
  echo "usage: $0 start|restart|stop DIR" >&2
  exit 2
  ;;
esac
