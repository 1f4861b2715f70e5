#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never a browser build downloaded by a test tool).
# Runs before `npm test`: installs the package when it is missing and this user may.
set -euo pipefail
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Cài Chromium của Debian cho các kiểm thử trên trình duyệt…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
else
  echo "Các kiểm thử trên trình duyệt cần Chromium tại /usr/bin/chromium: chạy 'sudo apt-get install chromium' (hoặc đặt CHROMIUM_PATH)." >&2
  exit 1
fi
