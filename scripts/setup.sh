#!/usr/bin/env bash
# Installs the system libraries govsweep builds against, when they are missing.
# Debian/Ubuntu: libcurl (OpenSSL flavour), libxml2 and zlib (sitemaps .xml.gz), SQLite headers, pkg-config, and tcmalloc
# (the release build's allocator).
# --with-chromium: also Chromium, for rendering script-filled pages (`--render`); --with-postgres:
# also PostgreSQL 15 (fleet mode, and the PostgreSQL store's tests: scripts/pg-throwaway.sh starts a
# cluster of it). Neither by default: the README's first command must stay fast and needs neither.
set -euo pipefail
pkgs=(libcurl4-openssl-dev libxml2-dev zlib1g-dev libsqlite3-dev pkg-config libtcmalloc-minimal4)
for arg in "$@"; do
  case "$arg" in
    --with-chromium) pkgs+=(chromium) ;;
    --with-postgres) pkgs+=(postgresql) ;;
    *) echo "setup: unknown option $arg (known: --with-chromium, --with-postgres)" >&2; exit 2 ;;
  esac
done
need=()
for pkg in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6 toolchain needed: https://swift.org/install)" >&2; exit 1; }
