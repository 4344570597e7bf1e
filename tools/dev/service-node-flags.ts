import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/**
 * The Node flags the service runs with, as package.json's `start:prod` gives them (its one home:
 * the Dockerfile's CMD is checked against the same script). `npm start` and the bench start the
 * service with these too, so what is measured is what production runs.
 */
export function serviceNodeFlags(root = ROOT): string[] {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const script = pkg.scripts?.['start:prod'];
  if (!script) throw new Error('package.json has no start:prod script');
  return script.split(' ').filter((word) => word.startsWith('--'));
}
