import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const appRoot = path.resolve(__dirname, '../../..');
const workspaceRoot = path.resolve(appRoot, '../..');

/**
 * Runs Redocly's linter, with the rules in apps/capture-api/redocly.yaml, on an OpenAPI document
 * (given as its JSON text) and answers its output; rejects with that output when it finds an error.
 */
export async function redoclyLint(documentJson: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'capture-openapi-'));
  const file = path.join(dir, 'openapi.json');
  writeFileSync(file, documentJson);
  try {
    const { stdout, stderr } = await promisify(execFile)(
      path.join(workspaceRoot, 'node_modules/.bin/redocly'),
      ['lint', file, '--config', path.join(appRoot, 'redocly.yaml'), '--format', 'summary', '--max-problems', '50'],
      { cwd: workspaceRoot, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, timeout: 60_000 },
    ).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`redocly lint failed:\n${error.stdout}\n${error.stderr}`);
    });
    return `${stdout}${stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
