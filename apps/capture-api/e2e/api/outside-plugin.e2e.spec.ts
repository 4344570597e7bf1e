import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import {
  call,
  capture,
  defined,
  embeddedBackend,
  type FakeSandbox,
  FIXTURES,
  type ServiceProcess,
  SHOP_KEY,
  startFakeSandbox,
  startProcess,
  storedRowsText,
  usd,
  WORKSPACE_ROOT,
} from '@capture-gateway/e2e-support';

// A plugin published as its own npm package, far from libs/: packed with `npm pack`, installed from
// the tarball into a folder outside the repository, and named in the config. The service is not changed.
const PACKAGE = '@acme/capture-provider-outside';
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--offline', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

let work: string;
let deployDir: string;
let sandbox: FakeSandbox;

beforeAll(async () => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'capture-outside-plugin-')));
  expect(relative(WORKSPACE_ROOT, work).startsWith('..')).toBe(true);
  const source = join(work, 'source');
  cpSync(join(FIXTURES, 'outside-plugin'), source, { recursive: true });
  const tarball = join(
    work,
    defined(npm(['pack', '--pack-destination', work], source).trim().split('\n').at(-1), "npm pack's tarball name"),
  );
  deployDir = join(work, 'deploy');
  mkdirSync(deployDir);
  writeFileSync(join(deployDir, 'package.json'), JSON.stringify({ name: 'capture-deployment', private: true }));
  npm(['install', '--no-package-lock', tarball], deployDir);
  sandbox = await startFakeSandbox();
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const config = (module: string, dataDir: string) => ({
  database: { dataDir },
  plugins: [{ module }],
  accounts: [
    {
      id: 'outside-us',
      plugin: 'outside',
      timeoutMs: 2_000,
      settings: { baseUrl: { env: 'OUTSIDE_BASE_URL' }, apiKey: { env: 'OUTSIDE_API_KEY' } },
    },
  ],
  clients: [{ id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: ['outside-us'] }],
});

describe.each([
  {
    how: 'by the absolute path of the installed package folder',
    module: () => join(deployDir, 'node_modules', PACKAGE),
    configDir: () => mkdtempSync(join(work, 'config-')),
  },
  { how: 'by package name, from the node_modules beside the config file', module: () => PACKAGE, configDir: () => deployDir },
])('a plugin installed from an npm tarball outside the workspace loads $how', ({ module, configDir }) => {
  let service: ServiceProcess;
  let db: Awaited<ReturnType<typeof embeddedBackend.create>>;

  beforeAll(async () => {
    db = await embeddedBackend.create();
    const configPath = join(configDir(), 'capture.yaml');
    writeFileSync(configPath, stringify(config(module(), db.database.dataDir)));
    service = await startProcess(configPath, {
      OUTSIDE_BASE_URL: sandbox.baseUrl,
      OUTSIDE_API_KEY: sandbox.apiKey,
      SHOP_API_KEY: SHOP_KEY,
    });
  });

  afterAll(async () => {
    await service?.close();
    await db?.destroy();
  });

  test('captures through it: 201 with the provider outcome, the record stored, no secret kept', async () => {
    const authorisationId = `outside-${Date.now()}`;
    const created = await capture(service.url, { account: 'outside-us', authorisationId, amount: usd(1234) }, `key-${authorisationId}`);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      account: 'outside-us',
      provider: 'outside',
      authorisationId,
      status: 'succeeded',
      capturedAmount: usd(1234),
    });
    expect(created.body.providerReferences).toEqual({ captureId: `fk_${created.body.id}` });
    expect(sandbox.capturesOf(authorisationId)).toBe(1);

    expect(await call(service.url, 'GET', `/v1/captures/${created.body.id}`)).toMatchObject({ status: 200, body: created.body });
    await service.close();
    const rows = await storedRowsText(db.database, 'captures');
    expect(rows).toContain(created.body.id);
    expect(rows).toContain(authorisationId);
    expect(rows).not.toContain(sandbox.apiKey);
  });
});
