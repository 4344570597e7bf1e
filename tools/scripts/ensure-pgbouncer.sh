#!/usr/bin/env bash
# The PgBouncer e2e test (apps/capture-api/e2e/pgbouncer.e2e.spec.ts) runs the service behind Debian's
# PgBouncer. Install it when it is missing and we can (root with apt), so the README's test command is
# enough on a fresh machine; otherwise say exactly what to do.
set -euo pipefail
pgbouncer=${PGBOUNCER_PATH:-/usr/sbin/pgbouncer}
[ -x "$pgbouncer" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-pgbouncer: $pgbouncer is missing; installing Debian's pgbouncer package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The test starts its own PgBouncer; the package's service is not wanted on this machine.
  apt-get install -y -qq pgbouncer >/dev/null
  exit 0
fi
echo "ensure-pgbouncer: $pgbouncer is missing. Install it (sudo apt-get install -y pgbouncer) or set PGBOUNCER_PATH." >&2
exit 1
