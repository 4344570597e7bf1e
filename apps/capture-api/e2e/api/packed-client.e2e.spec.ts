import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import {
  defined,
  embeddedBackend,
  PRODUCT_TEAM_APP,
  PRODUCT_TEAM_TYPES,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  type ServiceProcess,
  SHOP_KEY,
  startFakeSandbox,
  startProcess,
  WORKSPACE_ROOT,
  writeConfig,
} from '@capture-gateway/e2e-support';

// @capture-gateway/client as product teams get it: built and packed with `npm run build:client`
// (or the tarball in CAPTURE_CLIENT_TARBALL, packed once for the run), installed with npm into a
// folder outside the workspace, and used from plain Node and from TypeScript there.
const PACKAGE = '@capture-gateway/client';
const SECRET = 'whsec_e2e_current_0123456789abcdef';
const OLD_SECRET = 'whsec_e2e_previous_0123456789abcdef';

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

function buildAndPack(work: string): string {
  const output = execFileSync(
    process.execPath,
    ['-r', '@swc-node/register', 'tools/build/build-client.ts', '--out', join(work, 'build'), '--pack-destination', work],
    { cwd: WORKSPACE_ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', SWC_NODE_PROJECT: 'tsconfig.base.json' } },
  );
  return output.trim().split('\n').at(-1) ?? '';
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

const freePort = () =>
  new Promise<number>((resolvePort, reject) => {
    const probe = createServer().on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });

/** Signs as the service does: `t=<unix seconds>,v1=<HMAC-SHA256 hex of "${t}.${rawBody}">`, one v1 per secret. */
const sign = (rawBody: string, secrets: string[], t = Math.floor(Date.now() / 1000)) =>
  [`t=${t}`, ...secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${t}.${rawBody}`, 'utf8').digest('hex')}`)].join(',');

// One JSON line of the product team's app (support/product-team-app.mjs): its captures, or an event it received.
interface AppLine {
  created?: { id: string };
  read?: unknown;
  declined?: { thrown: boolean; captureId?: string };
  received?: 'verified' | 'refused';
  type?: string;
  event?: { data: { capture: { id: string } } };
  reason?: string;
}

let work: string;
let appDir: string;
let sandbox: FakeSandbox;
let service: ServiceProcess;
let db: Awaited<ReturnType<typeof embeddedBackend.create>>;
let receiverPort: number;

beforeAll(async () => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'capture-packed-client-')));
  expect(relative(WORKSPACE_ROOT, work).startsWith('..')).toBe(true);
  const tarball = process.env['CAPTURE_CLIENT_TARBALL'] || buildAndPack(work);
  appDir = join(work, 'product-team-app');
  mkdirSync(appDir);
  npm(['init', '-y'], appDir);
  npm(['install', tarball], appDir);
  copyFileSync(PRODUCT_TEAM_APP, join(appDir, 'app.mjs'));
  copyFileSync(PRODUCT_TEAM_TYPES, join(appDir, 'types.mts'));

  sandbox = await startFakeSandbox();
  db = await embeddedBackend.create();
  // The product team's app receives the service's events on this port (free before either starts),
  // signed with both secrets, as during a rotation.
  receiverPort = await freePort();
  const config = fakeConfig(db.database);
  const subscription = {
    id: 'app',
    url: `http://127.0.0.1:${receiverPort}/capture-events`,
    secrets: [{ env: 'APP_SECRET_OLD' }, { env: 'APP_SECRET' }],
  };
  const clients = config.clients.map((client) => (client.id === 'shop' ? { ...client, subscriptions: [subscription] } : client));
  const events = { delivery: { intervalMs: 100, initialBackoffSeconds: 0.2, maxBackoffSeconds: 1 } };
  service = await startProcess(writeConfig({ ...config, clients, events }), {
    ...fakeEnv(sandbox),
    APP_SECRET: SECRET,
    APP_SECRET_OLD: OLD_SECRET,
  });
}, 180_000);

afterAll(async () => {
  await service?.close();
  await sandbox?.close();
  await db?.destroy();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the client installed from its tarball, outside the workspace', () => {
  test('is a standalone ESM package: nothing of the workspace in it, only ky beside it', () => {
    const installed = join(appDir, 'node_modules', PACKAGE);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({
      name: PACKAGE,
      type: 'module',
      exports: { '.': { types: './index.d.ts', import: './index.js' } },
      engines: { node: expect.any(String) },
    });
    expect(Object.keys(manifest.dependencies)).toEqual(['ky']);
    expect(manifest.dependencies.ky).toMatch(/^\^?2\./);
    const files = [...filesUnder(installed)].map((file) => relative(installed, file));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'lib/verify-event.js', 'lib/verify-event.d.ts', 'README.md']));
    for (const file of filesUnder(installed)) expect(readFileSync(file, 'utf8')).not.toContain('@capture-gateway/domain');
    // Nothing else of ours came along, and ky came from the registry at a version the package allows.
    expect(readdirSync(join(appDir, 'node_modules', '@capture-gateway'))).toEqual(['client']);
    const ky = JSON.parse(readFileSync(join(appDir, 'node_modules/ky/package.json'), 'utf8'));
    expect(ky.version).toMatch(/^2\./);
  });

  test("compiles a product team's TypeScript against its .d.ts alone (strict, nodenext, skipLibCheck off)", () => {
    writeFileSync(
      join(appDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2023',
          lib: ['es2023'],
          types: [],
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['types.mts'],
      }),
    );
    const tsc = join(WORKSPACE_ROOT, 'node_modules/typescript/bin/tsc');
    const result = (() => {
      try {
        return execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--traceResolution'], {
          cwd: appDir,
          encoding: 'utf8',
          env: { ...process.env, NODE_OPTIONS: '' },
        });
      } catch (error) {
        throw new Error(
          `tsc failed in the product team's folder:\n${(error as { stdout: string }).stdout
            .split('\n')
            .filter((l) => l.includes('error'))
            .join('\n')}`,
        );
      }
    })();
    // Every module the compiler loaded for the package came from the product team's folder.
    const resolved = [...result.matchAll(/was successfully resolved to '([^']+)'/g)].map((m) => m[1] ?? '');
    expect(resolved.length).toBeGreaterThan(0);
    for (const path of resolved) expect(relative(appDir, path).startsWith('..')).toBe(false);
  });

  test('creates a capture against the running service, reads it back and verifies the events the service delivers', async () => {
    const authorisationId = `packed-${Date.now()}`;
    const app: ChildProcessWithoutNullStreams = spawn(process.execPath, ['app.mjs'], {
      cwd: appDir,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        CAPTURE_URL: service.url,
        CAPTURE_API_KEY: SHOP_KEY,
        EVENT_SECRETS: [OLD_SECRET, SECRET].join(','),
        RECEIVER_PORT: String(receiverPort),
        AUTHORISATION_ID: authorisationId,
      },
    });
    let stderr = '';
    app.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => app.on('exit', (code) => done(code)));
    const lines: AppLine[] = [];
    const waiters: (() => void)[] = [];
    createInterface({ input: app.stdout }).on('line', (line) => {
      lines.push(JSON.parse(line) as AppLine);
      waiters.splice(0).forEach((wake) => wake());
    });
    const nextLine = async (index: number): Promise<AppLine> => {
      while (lines.length <= index) {
        const ended = await Promise.race([new Promise<false>((wake) => waiters.push(() => wake(false))), exited.then(() => true)]);
        if (ended && lines.length <= index) throw new Error(`the product team's app exited early: ${stderr}`);
      }
      return defined(lines[index], `line ${index} of the app`);
    };

    try {
      // The app reports its capture, and each event it receives, as they happen: an event may come first.
      const lineWith = async (found: (line: AppLine) => boolean) => {
        for (let i = 0; ; i++) {
          const line = await nextLine(i);
          if (found(line)) return line;
        }
      };
      const { created, read, declined } = await lineWith((line) => 'created' in line);
      expect(created).toMatchObject({
        account: 'fake-us',
        authorisationId,
        status: 'succeeded',
        capturedAmount: { amount: 2500, currency: 'USD' },
      });
      expect(read).toEqual(created);
      expect(declined).toMatchObject({
        thrown: true,
        isCaptureApiError: true,
        code: 'provider_declined',
        captureId: expect.stringMatching(/^cap_/),
      });
      expect(sandbox.capturesOf(authorisationId)).toBe(1);

      // The service delivers the capture's event and the decline's, signed with both secrets: the app,
      // holding both, verifies them with the installed package.
      const createdId = defined(created?.id, 'the created capture');
      const declinedId = defined(declined?.captureId, 'the declined capture');
      const verified = async (captureId: string) => ({
        line: await lineWith((line) => line.received === 'verified' && line.event?.data.capture.id === captureId),
      });
      const succeeded = await verified(createdId);
      expect(succeeded.line).toMatchObject({ type: 'capture.succeeded', event: { sequence: 1, data: { source: 'api', capture: read } } });
      const failed = await verified(declinedId);
      expect(failed.line).toMatchObject({ type: 'capture.failed', event: { data: { capture: { status: 'failed' } } } });

      // What the installed package refuses: the delivered event tampered with, another secret, an old timestamp.
      const event = defined(succeeded.line.event, 'the delivered event');
      const rawBody = JSON.stringify(event);
      const deliver = (body: string, signature: string) =>
        fetch(`http://127.0.0.1:${receiverPort}/capture-events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'capture-signature': signature },
          body,
        }).then((response) => response.status);
      const tampered = rawBody.replace('"amount":2500', '"amount":1');
      expect(tampered).not.toBe(rawBody);
      expect(await deliver(tampered, sign(rawBody, [SECRET]))).toBe(400);
      expect(await deliver(rawBody, sign(rawBody, ['whsec_not_ours_0123456789']))).toBe(400);
      expect(await deliver(rawBody, sign(rawBody, [SECRET], Math.floor(Date.now() / 1000) - 3_600))).toBe(400);
      // The app reports each refusal on stdout as it answers: wait for the three lines.
      const refusals = () => lines.filter((line) => line.received === 'refused').map((line) => line.reason);
      for (let i = 0; refusals().length < 3 && i < 100; i++) await new Promise((done) => setTimeout(done, 50));
      const refused = refusals();
      expect(refused.slice(-3)).toEqual(['no_matching_signature', 'no_matching_signature', 'stale_timestamp']);
      for (const line of lines) expect(JSON.stringify(line)).not.toContain(SECRET);
    } finally {
      app.stdin.end();
      const code = await exited;
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    }
  });
});
