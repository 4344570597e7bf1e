#!/usr/bin/env bash
# The docs-page test drives Debian's Chromium. Install it when it is missing and we can (root with apt),
# so the README's test command is enough on a fresh machine; otherwise say exactly what to do.
set -euo pipefail
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $chromium is missing; installing Debian's chromium package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "ensure-chromium: $chromium is missing. Install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH." >&2
exit 1
