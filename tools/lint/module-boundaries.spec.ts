import { ESLint } from 'eslint';
import { join } from 'node:path';

// The arrows of DESIGN.md, proved against the real lint config: an import that breaks them fails lint.
const root = join(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, specifier: string): Promise<string[]> {
  const code = `import * as probe from '${specifier}';\nexport const used = probe;\n`;
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it.each([
    ['the domain importing the SDK', 'libs/capture/domain/src/lib/probe.ts', '@capture-gateway/plugin-sdk'],
    ['the SDK importing a provider', 'libs/capture/plugin-sdk/src/lib/probe.ts', '@capture-gateway/provider-paymentoptions'],
    ['a provider importing another provider', 'libs/providers/payengine/src/lib/probe.ts', '@capture-gateway/provider-paymentoptions'],
    ['the app importing a provider', 'apps/capture-api/src/probe.ts', '@capture-gateway/provider-paymentoptions'],
    ['the app importing a sandbox', 'apps/capture-api/src/probe.ts', '@capture-gateway/provider-payengine/sandbox'],
    ['the client importing the SDK', 'libs/capture/client/src/lib/probe.ts', '@capture-gateway/plugin-sdk'],
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
    ['e2e tests importing a sandbox', 'apps/capture-api/e2e/probe.ts', '@capture-gateway/provider-payengine/sandbox'],
  ])(
    'allows %s',
    async (_what, file, specifier) => {
      expect(await boundaryErrors(file, specifier)).toEqual([]);
    },
    30_000,
  );
});
