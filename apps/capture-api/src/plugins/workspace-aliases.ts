import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

type PathMap = Record<string, string[]>;

/**
 * Workspace libraries are named by their TypeScript path alias (`@capture-gateway/provider-x`).
 * The source runner rewrites literal imports only, so a specifier read from config is resolved here,
 * from the workspace's tsconfig `paths`, to the library's entry file. Returns undefined otherwise.
 */
export function resolveWorkspaceAlias(
  specifier: string,
  searchFrom: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const tsconfig = findTsconfig(searchFrom, env);
  if (!tsconfig) return undefined;
  const { paths, baseDir } = readPaths(tsconfig);
  for (const [pattern, targets] of Object.entries(paths)) {
    const target = targets[0];
    if (!target) continue;
    if (pattern === specifier) return compiledCounterpart(resolve(baseDir, target));
    const star = pattern.indexOf('*');
    if (star >= 0 && specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1))) {
      const middle = specifier.slice(star, specifier.length - (pattern.length - star - 1));
      return compiledCounterpart(resolve(baseDir, target.replace('*', middle)));
    }
  }
  return undefined;
}

function findTsconfig(searchFrom: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  const named = env['SWC_NODE_PROJECT'] ?? env['TS_NODE_PROJECT'];
  if (named && existsSync(resolve(named))) return resolve(named);
  for (const start of searchFrom) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, 'tsconfig.base.json');
      if (existsSync(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

function readPaths(tsconfig: string): { paths: PathMap; baseDir: string } {
  try {
    const options = (JSON.parse(readFileSync(tsconfig, 'utf8')) as { compilerOptions?: { paths?: PathMap; baseUrl?: string } })
      .compilerOptions;
    return { paths: options?.paths ?? {}, baseDir: resolve(dirname(tsconfig), options?.baseUrl ?? '.') };
  } catch {
    return { paths: {}, baseDir: dirname(tsconfig) };
  }
}

// Compiled by `npm run build`, this file sits at dist/apps/capture-api/src/plugins/: a library's `.ts`
// entry then has a `.js` twin at the same place under dist/, and that is what plain Node can load.
const DIST = resolve(__dirname, '../../../..');
const COMPILED = __filename.endsWith('.js') && existsSync(join(DIST, 'apps/capture-api/src/main.js'));

function compiledCounterpart(entry: string): string {
  if (!COMPILED || !entry.endsWith('.ts')) return entry;
  const twin = join(DIST, relative(dirname(DIST), entry)).replace(/\.ts$/, '.js');
  return existsSync(twin) ? twin : entry;
}
