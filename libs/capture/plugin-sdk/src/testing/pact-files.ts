import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The workspace root: the nearest folder above this file that holds nx.json. */
export function workspaceRoot(from: string = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
  }
  throw new Error(`No nx.json above ${from}`);
}

/** The committed pacts folder. Nx runs tests with the project as cwd, so never a relative path. */
export function pactsDir(): string {
  return join(workspaceRoot(), 'pacts');
}

export function pactFilePath(consumer: string, provider: string): string {
  return join(pactsDir(), `${consumer}-${provider}.json`);
}

/**
 * Pact merges interactions into an existing file, so a consumer test clears its pact first:
 * what it writes is then exactly what the tests declare, and CI can compare it with the committed copy.
 */
export function clearPactFile(consumer: string, provider: string): string {
  const path = pactFilePath(consumer, provider);
  rmSync(path, { force: true });
  return path;
}
