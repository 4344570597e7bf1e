import { readJson, readProjectConfiguration, type Tree, workspaceRoot } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { providerGenerator } from './generator';

const workspaceFile = (path: string) => readFileSync(join(workspaceRoot, path), 'utf8');

/** The files among `paths` that Prettier, with the workspace's config, would rewrite. */
async function notPrettierClean(tree: Tree, paths: string[]): Promise<string[]> {
  const prettier = await import('prettier');
  const config = JSON.parse(workspaceFile('.prettierrc.json'));
  const unclean: string[] = [];
  for (const path of paths) {
    if (!(await prettier.check(tree.read(path, 'utf8') ?? '', { ...config, filepath: path }))) unclean.push(path);
  }
  return unclean;
}

function filesUnder(tree: Tree, dir: string): string[] {
  return tree.children(dir).flatMap((child) => {
    const path = `${dir}/${child}`;
    return tree.isFile(path) ? [path] : filesUnder(tree, path);
  });
}

describe('provider generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    // Nx's empty workspace formats with oxfmt; this one does not (Prettier, where its config is written).
    for (const file of tree.children('')) if (file.startsWith('.oxfmtrc')) tree.delete(file);
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

  describe('in the workspace as it is', () => {
    beforeEach(() => {
      // As `.prettierrc`, the one name formatFiles reads from a tree (on disk, Prettier finds `.prettierrc.json`).
      tree.write('.prettierrc', workspaceFile('.prettierrc.json'));
      tree.write('tsconfig.base.json', workspaceFile('tsconfig.base.json'));
    });

    it('writes a provider Prettier leaves as it is, even with a long name, and only adds its two paths to tsconfig.base.json', async () => {
      await providerGenerator(tree, { name: 'acme-payments-international', displayName: 'Acme Payments International' });
      expect(
        await notPrettierClean(tree, [...filesUnder(tree, 'libs/providers/acme-payments-international'), 'tsconfig.base.json']),
      ).toEqual([]);
      // Line by line, a trailing comma aside (the last path gains one).
      const lines = (text: string) => text.split('\n').map((line) => line.replace(/,$/, ''));
      const before = lines(workspaceFile('tsconfig.base.json'));
      const after = lines(tree.read('tsconfig.base.json', 'utf8') ?? '');
      expect(after.filter((line) => !before.includes(line))).toEqual([
        '      "@capture-gateway/provider-acme-payments-international": ["./libs/providers/acme-payments-international/src/index.ts"]',
        '      "@capture-gateway/provider-acme-payments-international/sandbox": ["./libs/providers/acme-payments-international/src/sandbox/index.ts"]',
      ]);
      expect(before.filter((line) => !after.includes(line))).toEqual([]);
    });

    it('has templates that are Prettier-clean on their own, for a name of usual length', async () => {
      // Without the generator's formatting pass: a template that needs it is one to fix.
      process.env['NX_SKIP_FORMAT'] = 'true';
      try {
        await providerGenerator(tree, { name: 'acmepay' });
      } finally {
        delete process.env['NX_SKIP_FORMAT'];
      }
      expect(await notPrettierClean(tree, filesUnder(tree, 'libs/providers/acmepay'))).toEqual([]);
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
