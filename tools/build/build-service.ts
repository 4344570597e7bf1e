// `npm run build`: compiles the service and the libraries it loads to plain CommonJS in dist/, with
// the layout kept and path aliases rewritten to relative paths. Production runs `node dist/…/main.js`:
// no TypeScript compiler in the process (about 80 MB less memory, a faster start).
import { transformFileSync, type Options } from '@swc/core';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '../..');
const DIST = join(ROOT, 'dist');
const SOURCES = [
  'apps/capture-api/src',
  'libs/capture/domain/src',
  'libs/capture/plugin-sdk/src/lib',
  'libs/capture/plugin-sdk/src/index.ts',
  'libs/providers',
];
// Tests, sandboxes and test helpers never run in production.
const SKIP = /(\.spec\.ts$|\/testing\/|\/sandbox\/|\/e2e\/|\.d\.ts$)/;

const { compilerOptions } = require(join(ROOT, 'tsconfig.base.json')) as { compilerOptions: { paths: Record<string, string[]> } };

const options = (file: string): Options => ({
  filename: file,
  sourceMaps: 'inline',
  module: { type: 'commonjs' },
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    baseUrl: ROOT,
    paths: compilerOptions.paths,
  },
});

function* sourceFiles(path: string): Generator<string> {
  if (statSync(path).isFile()) {
    if (path.endsWith('.ts') && !SKIP.test(path)) yield path;
    return;
  }
  for (const entry of readdirSync(path)) yield* sourceFiles(join(path, entry));
}

rmSync(DIST, { recursive: true, force: true });
let count = 0;
for (const source of SOURCES) {
  for (const file of sourceFiles(join(ROOT, source))) {
    const out = join(DIST, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, transformFileSync(file, options(file)).code);
    count++;
  }
}
// Every backend's SQL migrations, read at run time beside the compiled code.
cpSync(join(ROOT, 'apps/capture-api/src/persistence'), join(DIST, 'apps/capture-api/src/persistence'), {
  recursive: true,
  filter: (source) => !/\.[a-z]+$/.test(source) || source.endsWith('.sql'),
});
// The operations page's own files (its vendor files are read from node_modules at run time).
cpSync(join(ROOT, 'apps/capture-api/src/ops/page'), join(DIST, 'apps/capture-api/src/ops/page'), { recursive: true });
console.log(`build-service: ${count} files compiled to ${relative(ROOT, DIST)}/`);
