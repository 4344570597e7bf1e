#!/usr/bin/env bash
# The PgBouncer e2e test (apps/capture-api/e2e/lifecycle/pgbouncer.e2e.spec.ts) runs the service behind
# Debian's PgBouncer; it starts its own, so the package's service is not needed.
set -euo pipefail
exec bash "$(dirname "$0")/ensure-debian-package.sh" pgbouncer "${PGBOUNCER_PATH:-/usr/sbin/pgbouncer}" PGBOUNCER_PATH
