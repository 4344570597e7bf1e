#!/usr/bin/env bash
# The PgBouncer e2e test (apps/capture-api/e2e/pgbouncer.e2e.spec.ts) runs the service behind Debian's
# PgBouncer. Install it when it is missing and we can (root with apt), so the README's test command is
# enough on a fresh machine; otherwise say exactly what to do.
set -euo pipefail
pgbouncer=${PGBOUNCER_PATH:-/usr/sbin/pgbouncer}
[ -x "$pgbouncer" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  # One line announces the install; apt's own output goes to a log, shown only if the install fails.
  echo "ensure-pgbouncer: installing Debian's pgbouncer package ($pgbouncer is missing)"
  log=$(mktemp "${TMPDIR:-/tmp}/ensure-pgbouncer.XXXXXX")
  export DEBIAN_FRONTEND=noninteractive
  # The test starts its own PgBouncer; the package's service is not wanted on this machine.
  if ! { apt-get update -qq && apt-get install -y -qq pgbouncer; } >"$log" 2>&1; then
    echo "ensure-pgbouncer: installing pgbouncer failed; apt said:" >&2
    tail -n 20 "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  exit 0
fi
echo "ensure-pgbouncer: $pgbouncer is missing. Install it (sudo apt-get install -y pgbouncer) or set PGBOUNCER_PATH." >&2
exit 1
