#!/usr/bin/env bash
# ensure-debian-package.sh <package> <binary path> <variable that overrides the path>
# Installs Debian's <package> when <binary path> is missing and we can (root with apt), so the
# README's test command is enough on a fresh machine; otherwise says exactly what to do.
set -euo pipefail
package=$1 binary=$2 variable=$3
[ -x "$binary" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  # One line announces the install; apt's own output goes to a log, shown only if the install fails.
  echo "ensure-$package: installing Debian's $package package ($binary is missing)"
  log=$(mktemp "${TMPDIR:-/tmp}/ensure-$package.XXXXXX")
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq "$package"; } >"$log" 2>&1; then
    echo "ensure-$package: installing $package failed; apt said:" >&2
    tail -n 20 "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  exit 0
fi
echo "ensure-$package: $binary is missing. Install it (sudo apt-get install -y $package) or set $variable." >&2
exit 1
