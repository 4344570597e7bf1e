import { ESLint } from 'eslint';
import { join } from 'node:path';

// The arrows of DESIGN.md, proved against the real lint config: an import that breaks them fails lint.
const root = join(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, specifier: string, rule = '@nx/enforce-module-boundaries'): Promise<string[]> {
  const code = `import * as probe from '${specifier}';\nexport const used = probe;\n`;
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('module boundaries', () => {
  it.each([
    ['the domain importing the SDK', 'libs/capture/domain/src/lib/probe.ts', '@capture-gateway/plugin-sdk'],
    ['the SDK importing a provider', 'libs/capture/plugin-sdk/src/lib/probe.ts', '@capture-gateway/provider-paymentoptions'],
    ['a provider importing another provider', 'libs/providers/payengine/src/lib/probe.ts', '@capture-gateway/provider-paymentoptions'],
    ['the app importing a provider', 'apps/capture-api/src/probe.ts', '@capture-gateway/provider-paymentoptions'],
    ['the app importing a sandbox', 'apps/capture-api/src/probe.ts', '@capture-gateway/provider-payengine/sandbox'],
    ['the client importing the SDK', 'libs/capture/client/src/lib/probe.ts', '@capture-gateway/plugin-sdk'],
    ['the app importing the e2e support', 'apps/capture-api/src/probe.ts', '@capture-gateway/e2e-support'],
    ['an e2e project reaching into the support by path', 'apps/capture-api/e2e/api/probe.ts', '../support/http'],
  ])(
    'refuses %s',
    async (_what, file, specifier) => {
      expect(await boundaryErrors(file, specifier)).not.toEqual([]);
    },
    30_000,
  );

  it.each([
    ['a provider importing the SDK and the domain', 'libs/providers/payengine/src/lib/probe.ts', '@capture-gateway/plugin-sdk'],
    ['the app importing the domain', 'apps/capture-api/src/probe.ts', '@capture-gateway/domain'],
    ['e2e tests importing a sandbox', 'apps/capture-api/e2e/lifecycle/probe.ts', '@capture-gateway/provider-payengine/sandbox'],
    ['e2e tests importing their shared support', 'apps/capture-api/e2e/api/probe.ts', '@capture-gateway/e2e-support'],
  ])(
    'allows %s',
    async (_what, file, specifier) => {
      expect(await boundaryErrors(file, specifier)).toEqual([]);
    },
    30_000,
  );

  // The service's own layers (no-restricted-imports in eslint.config.mjs).
  it.each([
    ['a store importing the captures feature', true, 'apps/capture-api/src/persistence/probe.ts', '../captures/captures.service'],
    ['a PostgreSQL store importing the captures feature', true, 'apps/capture-api/src/persistence/postgres/probe.ts', '../../captures/x'],
    ['observability importing the stores', true, 'apps/capture-api/src/observability/health/probe.ts', '../../persistence/storage'],
    ['observability importing the plugins', true, 'apps/capture-api/src/observability/probe.ts', '../plugins/plugin.registry'],
    ['observability importing the API errors', true, 'apps/capture-api/src/observability/metrics/probe.ts', '../../errors/api.errors'],
    ['a store importing its own port', false, 'apps/capture-api/src/persistence/postgres/probe.ts', '../captures.store'],
    ['the captures feature importing the stores', false, 'apps/capture-api/src/captures/probe.ts', '../persistence/storage'],
    ['a store spec starting the app', false, 'apps/capture-api/src/persistence/probe.spec.ts', '../captures/captures.service'],
  ])(
    'layers inside the service: %s, refused: %s',
    async (_what, refused, file, specifier) => {
      expect((await boundaryErrors(file, specifier, 'no-restricted-imports')).length > 0).toBe(refused);
    },
    30_000,
  );
});
