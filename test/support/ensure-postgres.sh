#!/usr/bin/env bash
# Part of the suite runs again on PostgreSQL, on a throwaway cluster the test run starts and
# stops itself (test/support/postgres-cluster.ts). Runs before `npm test`: installs Debian's
# PostgreSQL programs when they are missing and this user may. CI starts no database service:
# the package's own cluster is kept from starting, or stopped and dropped if it started.
set -euo pipefail
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && exit 0
command -v initdb >/dev/null && command -v pg_ctl >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Cài PostgreSQL của Debian cho các kiểm thử trên PostgreSQL…"
  export DEBIAN_FRONTEND=noninteractive
  # invoke-rc.d asks policy-rc.d before starting a service: 101 = not allowed.
  policy=/usr/sbin/policy-rc.d
  had_policy=0
  [ -e "$policy" ] && had_policy=1
  [ "$had_policy" = 1 ] || { printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; }
  trap '[ "$had_policy" = 1 ] || rm -f "$policy"' EXIT
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  # The package creates a "main" cluster; stop it if anything started it, and drop it.
  if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters --no-header 2>/dev/null | while read -r version name _; do
      pg_ctlcluster "$version" "$name" stop 2>/dev/null || true
      pg_dropcluster "$version" "$name" 2>/dev/null || true
    done
  fi
else
  echo "Các kiểm thử trên PostgreSQL cần initdb và pg_ctl: chạy 'sudo apt-get install postgresql' (hoặc thêm thư mục bin của PostgreSQL vào PATH)." >&2
  exit 1
fi
