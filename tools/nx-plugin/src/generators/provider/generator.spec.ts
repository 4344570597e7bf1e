import { readJson, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { providerGenerator } from './generator';

describe('provider generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('tsconfig.base.json', JSON.stringify({ compilerOptions: { paths: {} } }));
  });

  it('creates the provider library with the layout of docs/adding-a-provider.md', async () => {
    await providerGenerator(tree, { name: 'acme-pay' });
    const root = 'libs/providers/acme-pay';
    for (const file of [
      'README.md',
      'project.json',
      'tsconfig.json',
      'jest.config.cjs',
      'jest.pact-verify.config.cjs',
      'src/index.ts',
      'src/lib/acme-pay.plugin.ts',
      'src/lib/acme-pay.plugin.spec.ts',
      'src/lib/acme-pay.config.ts',
      'src/lib/acme-pay.schemas.ts',
      'src/lib/acme-pay.mapper.ts',
      'src/lib/acme-pay.mapper.spec.ts',
      'src/lib/acme-pay.pact.spec.ts',
      'src/lib/acme-pay.conformance.spec.ts',
      'src/sandbox/index.ts',
      'src/sandbox/acme-pay.sandbox.ts',
      'src/sandbox/acme-pay.sandbox.spec.ts',
      'src/sandbox/acme-pay.sandbox.pact-verify.spec.ts',
    ]) {
      expect(tree.exists(`${root}/${file}`)).toBe(true);
    }
    expect(tree.read(`${root}/src/lib/acme-pay.plugin.ts`, 'utf8')).toContain("id: 'acme-pay'");
    expect(tree.read(`${root}/src/lib/acme-pay.plugin.ts`, 'utf8')).toContain('export const acmePayPlugin = defineHttpCapturePlugin(');
    expect(tree.exists(`${root}/src/lib/acme-pay.client.ts`)).toBe(false);
    // The example provider has a status endpoint, so the reconciler can settle its captures in doubt.
    expect(tree.read(`${root}/src/lib/acme-pay.plugin.ts`, 'utf8')).toContain('statusCheck: {');
    expect(tree.read(`${root}/src/lib/acme-pay.pact.spec.ts`, 'utf8')).toContain(
      "'a status check of a capture the provider never received'",
    );
    expect(tree.read(`${root}/src/lib/acme-pay.pact.spec.ts`, 'utf8')).toContain("clearPactFile('capture-gateway', 'acme-pay')");
    expect(tree.read(`${root}/src/index.ts`, 'utf8')).not.toContain('sandbox');
  });

  it('tags the project as a provider, with the pact as the test output', async () => {
    await providerGenerator(tree, { name: 'acmepay', displayName: 'AcmePay' });
    const project = readProjectConfiguration(tree, 'provider-acmepay');
    expect(project.tags).toEqual(['type:provider']);
    expect(project.targets?.['test']?.outputs).toEqual(['{workspaceRoot}/pacts/capture-gateway-acmepay.json']);
    expect(Object.keys(project.targets ?? {})).toEqual(expect.arrayContaining(['typecheck', 'pact-verify']));
    expect(tree.read('libs/providers/acmepay/src/lib/acmepay.plugin.ts', 'utf8')).toContain("displayName: 'AcmePay'");
  });

  it('adds the path aliases of the plugin and its sandbox', async () => {
    await providerGenerator(tree, { name: 'acmepay' });
    expect(readJson(tree, 'tsconfig.base.json').compilerOptions.paths).toMatchObject({
      '@capture-gateway/provider-acmepay': ['./libs/providers/acmepay/src/index.ts'],
      '@capture-gateway/provider-acmepay/sandbox': ['./libs/providers/acmepay/src/sandbox/index.ts'],
    });
  });

  it.each(['AcmePay', 'acme_pay', '1pay', 'acme--pay', 'acme-', ''])('refuses the name %j and writes nothing', async (name) => {
    await expect(providerGenerator(tree, { name })).rejects.toThrow('must be kebab-case');
    expect(tree.exists('libs/providers')).toBe(false);
  });

  it('refuses a provider that exists already', async () => {
    await providerGenerator(tree, { name: 'acmepay' });
    await expect(providerGenerator(tree, { name: 'acmepay' })).rejects.toThrow('A provider named "acmepay" exists already');
  });
});
