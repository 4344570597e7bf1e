#!/usr/bin/env bash
# Generates a provider into a scratch copy of the workspace and runs that project's targets:
# proves the generator's output is green out of the box and that the service runs it, without
# touching this checkout.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/capture-generator.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cd "$root"
# The tracked files and any new ones not ignored: the workspace as a fresh clone would have it.
# Existence is tested with shell builtins and one cp copies them all: a mkdir and a cp per file
# took about 15 s of CPU for ~700 files.
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  if [ -e "$f" ]; then printf '%s\0' "$f"; fi
done | xargs -0 -r cp -p --parents -t "$scratch"
ln -s "$root/node_modules" "$scratch/node_modules"
cd "$scratch"
export NX_DAEMON=false NX_NO_CLOUD=true
npx nx g @capture-gateway/nx-plugin:provider acmepay --no-interactive
# In the workspace's Prettier style as generated, and tsconfig.base.json only gains the two paths
# (its last path line gains a comma): nothing else of it is reformatted.
npx prettier --check libs/providers/acmepay tsconfig.base.json
changes=$(diff "$root/tsconfig.base.json" tsconfig.base.json || true)
removed=$(grep -c '^<' <<<"$changes" || true)
added=$(grep -c '^>' <<<"$changes" || true)
if [ "$removed" -gt 1 ] || [ "$added" -ne $((removed + 2)) ]; then
  echo "generated-provider: the generator rewrote tsconfig.base.json beyond adding its two paths:" >&2
  echo "$changes" >&2
  exit 1
fi
npx nx run-many -t lint typecheck test pact-verify -p provider-acmepay --output-style=static --skip-nx-cache
test -s pacts/capture-gateway-acmepay.json
# The service starts with it in its config and captures through it (the generated sandbox on a free port).
SWC_NODE_PROJECT=tsconfig.base.json timeout 120 node_modules/.bin/node -r @swc-node/register tools/nx-plugin/scripts/provider-smoke.ts acmepay
echo "generated-provider: provider-acmepay generated Prettier-clean; its lint, typecheck, test and pact-verify passed; the service captured through it (provider-smoke)"
