// `npm run build:client`: builds @capture-gateway/client as the package product teams install, in
// their own repositories: ESM JavaScript and .d.ts by tsc (libs/capture/client/tsconfig.lib.json),
// a package.json whose dependencies are what the emitted files import (at the workspace's versions),
// the README, then `npm pack` into a .tgz. It refuses to build a package that imports anything
// that resolves only inside this workspace, except the pure domain files it compiles into the
// package itself (VENDORED).
//
//   npm run build:client                                    dist/libs/capture/client + dist/packages/*.tgz
//   npm run build:client -- --out <dir> --pack-destination <dir>
//   npm run build:client -- --no-pack
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '../..');
const LIB = join(ROOT, 'libs/capture/client');

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : resolve(process.argv[at + 1] ?? fallback);
}
const OUT = option('--out', join(ROOT, 'dist/libs/capture/client'));
const PACK_DESTINATION = option('--pack-destination', join(ROOT, 'dist/packages'));
const PACK = !process.argv.includes('--no-pack');

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
function fail(message: string): never {
  console.error(`build-client: ${message}`);
  process.exit(1);
}

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Every module specifier a compiled file names: static imports and exports, `import()` and `import x = require()`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1] ?? '');
  return found;
}

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * What the client may import from another workspace library: one pure file (no imports of its own),
 * compiled into the package's `vendor/` folder, its specifier rewritten to that copy. The client
 * then sees only what that file exports: importing anything else of the library fails the build.
 */
const VENDORED: Record<string, string> = {
  '@capture-gateway/domain': 'libs/capture/domain/src/lib/signatures/signature-header.ts',
};
// Where tsc writes a vendored file in the package (without its extension).
const vendoredAs = (source: string) => join(OUT, 'vendor', basename(source, '.ts'));

function tsc(config: { compilerOptions: object; include: string[]; files?: string[]; exclude?: string[] }): void {
  const dir = mkdtempSync(join(tmpdir(), 'build-client-'));
  try {
    const path = join(dir, 'tsconfig.json');
    // Type roots are found from the config's own folder: here, a temporary one.
    const compilerOptions = { typeRoots: [join(ROOT, 'node_modules/@types')], ...config.compilerOptions };
    writeFileSync(path, JSON.stringify({ extends: join(LIB, 'tsconfig.lib.json'), ...config, compilerOptions }));
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// 1. Compile: the vendored files first, then the client against their declarations.
rmSync(OUT, { recursive: true, force: true });
for (const source of Object.values(VENDORED)) {
  tsc({ compilerOptions: { rootDir: join(ROOT, dirname(source)), outDir: join(OUT, 'vendor') }, files: [join(ROOT, source)], include: [] });
}
const vendoredPaths = Object.fromEntries(Object.entries(VENDORED).map(([name, source]) => [name, [`${vendoredAs(source)}.d.ts`]]));
tsc({
  compilerOptions: { rootDir: join(LIB, 'src'), outDir: OUT, paths: vendoredPaths },
  include: [join(LIB, 'src/**/*.ts')],
  exclude: [join(LIB, 'src/**/*.spec.ts')],
});
for (const file of files(OUT)) {
  const source = readFileSync(file, 'utf8');
  let rewritten = source;
  for (const [name, source] of Object.entries(VENDORED)) {
    const target = relative(dirname(file), `${vendoredAs(source)}.js`);
    const specifier = target.startsWith('.') ? target : `./${target}`;
    rewritten = rewritten.replace(new RegExp(`(['"])${name}\\1`, 'g'), `'${specifier}'`);
  }
  if (rewritten !== source) writeFileSync(file, rewritten);
}

// 2. What the package needs at run time (and for its types), checked.
const workspace = readJson<{ dependencies: Record<string, string> }>(join(ROOT, 'package.json'));
const dependencies: Record<string, string> = {};
const emitted = [...files(OUT)];
for (const file of emitted) {
  const source = readFileSync(file, 'utf8');
  const where = relative(OUT, file);
  if (source.includes('@capture-gateway/'))
    fail(`${where} names a workspace package (@capture-gateway/…): the package would not install outside`);
  if (/\/\/\/\s*<reference/.test(source)) fail(`${where} has a triple-slash reference: product teams would need those types installed`);
  for (const specifier of specifiers(source)) {
    if (specifier.startsWith('.')) {
      if (!specifier.endsWith('.js')) fail(`${where} imports "${specifier}": Node's ESM loader needs the .js extension`);
      const target = resolve(dirname(file), specifier);
      if (!existsSync(target) && !existsSync(target.replace(/\.js$/, '.d.ts')))
        fail(`${where} imports "${specifier}", which is not in the package`);
      continue;
    }
    if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
    const name = packageName(specifier);
    const version = workspace.dependencies[name];
    if (!version) fail(`${where} imports "${specifier}", which is not a runtime dependency of the workspace`);
    // The workspace pins exact versions; product teams get that version or a compatible later one.
    dependencies[name] = /^\d/.test(version) ? `^${version}` : version;
  }
}

// 3. package.json and README.
const manifest = readJson<{ name: string; version: string } & Record<string, unknown>>(join(LIB, 'package.publish.json'));
const packageJson = {
  ...manifest,
  type: 'module',
  exports: { '.': { types: './index.d.ts', import: './index.js' }, './package.json': './package.json' },
  types: './index.d.ts',
  sideEffects: false,
  dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b))),
};
writeFileSync(join(OUT, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
copyFileSync(join(LIB, 'README.md'), join(OUT, 'README.md'));
console.log(
  `build-client: ${packageJson.name}@${packageJson.version} in ${relative(process.cwd(), OUT) || '.'} (${emitted.length} files; dependencies ${JSON.stringify(packageJson.dependencies)})`,
);

// 4. The tarball.
if (PACK) {
  mkdirSync(PACK_DESTINATION, { recursive: true });
  const packed = execFileSync('npm', ['pack', OUT, '--pack-destination', PACK_DESTINATION, '--json', '--loglevel=error'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const [{ filename }] = JSON.parse(packed.slice(packed.indexOf('['))) as [{ filename: string }];
  // The last line is the tarball's path, for scripts.
  console.log(join(PACK_DESTINATION, filename));
}
