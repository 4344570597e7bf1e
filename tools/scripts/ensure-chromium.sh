#!/usr/bin/env bash
# The docs-page test drives Debian's Chromium. Install it when it is missing and we can (root with apt),
# so the README's test command is enough on a fresh machine; otherwise say exactly what to do.
set -euo pipefail
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  # One line announces the install; apt's own output goes to a log, shown only if the install fails.
  echo "ensure-chromium: installing Debian's chromium package ($chromium is missing)"
  log=$(mktemp "${TMPDIR:-/tmp}/ensure-chromium.XXXXXX")
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq chromium; } >"$log" 2>&1; then
    echo "ensure-chromium: installing chromium failed; apt said:" >&2
    tail -n 20 "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  exit 0
fi
echo "ensure-chromium: $chromium is missing. Install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH." >&2
exit 1
