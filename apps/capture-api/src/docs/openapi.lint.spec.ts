import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildOpenApiDocument } from './openapi.document';
import { fakePlugins } from './testing/fake-plugins';

const appRoot = path.resolve(__dirname, '../..');
const workspaceRoot = path.resolve(appRoot, '../..');

// Redocly's own linter, with the rules in apps/capture-api/redocly.yaml: the document is generated,
// so this is what keeps the generator honest.
it('passes `redocly lint` with no error and no warning', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'capture-openapi-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(buildOpenApiDocument({ plugins: fakePlugins, version: '1.0.0' }), null, 2));
  const redocly = path.join(workspaceRoot, 'node_modules/.bin/redocly');
  const run = promisify(execFile)(redocly, ['lint', file, '--config', path.join(appRoot, 'redocly.yaml'), '--format', 'summary', '--max-problems', '50'], {
    cwd: workspaceRoot,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    timeout: 60_000,
  });
  const { stdout, stderr } = await run.catch((error: { stdout: string; stderr: string }) => {
    throw new Error(`redocly lint failed:\n${error.stdout}\n${error.stderr}`);
  });
  expect(`${stdout}${stderr}`).toContain('Your API description is valid');
  expect(`${stdout}${stderr}`).not.toMatch(/warning/i);
}, 60_000);
