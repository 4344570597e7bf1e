#!/usr/bin/env bash
# The docs- and ops-page tests drive Debian's Chromium.
set -euo pipefail
exec bash "$(dirname "$0")/ensure-debian-package.sh" chromium "${CHROMIUM_PATH:-/usr/bin/chromium}" CHROMIUM_PATH
