import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parse as parseYaml, stringify } from 'yaml';
import { type PayEngineSandbox, startPayEngineSandbox } from '@capture-gateway/provider-payengine/sandbox';
import { type PaymentOptionsSandbox, startPaymentOptionsSandbox } from '@capture-gateway/provider-paymentoptions/sandbox';
import {
  call,
  defined,
  durationMs,
  freePort,
  interpolate,
  postgresUrl,
  readCompose,
  type ReplayedImage,
  replayImage,
  type RunningPgBouncer,
  startPgBouncer,
  WORKSPACE_ROOT,
} from '@capture-gateway/e2e-support';

const CHECKOUT_KEY = 'checkout_key_0123456789abcdef';
const OPS_KEY = 'ops_key_0123456789abcdef012345';
const api = defined(readCompose().services['capture-api'], 'a capture-api service in compose.yaml');

// The Dockerfile's stages replayed on this machine (support/image-replay.ts): the build stage's
// `npm run build` for real, then the runtime stage's files alone (dist/ and the lock's production
// packages), started with its CMD, deploy/capture.yaml and compose.yaml's environment, behind PgBouncer.
describe('the image, replayed outside Docker', () => {
  let image: ReplayedImage;
  let admin: pg.Client;
  let database: string;
  let bouncer: RunningPgBouncer;
  let po: PaymentOptionsSandbox;
  let pe: PayEngineSandbox;
  let dir: string;
  let service: ChildProcess;
  let exited: Promise<number | null>;
  let stdout = '';
  let port: number;
  let metricsPort: number;

  // The image's own command: `node` is this Node, the version its FROM line names (image.e2e.spec.ts).
  const inImage = (argv: string[], env: Record<string, string>) =>
    [
      argv[0] === 'node' ? process.execPath : defined(argv[0], "the image's command"),
      argv.slice(1),
      { cwd: image.workdir, env: { ...image.env, ...env } },
    ] as const;

  beforeAll(async () => {
    image = replayImage(join(WORKSPACE_ROOT, 'Dockerfile'));
    const upstream = await postgresUrl();
    admin = new pg.Client(upstream);
    await admin.connect();
    database = `capture_image_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${database}"`);
    // What deploy/postgres/init-capture.sh sets on the role.
    await admin.query(`ALTER DATABASE "${database}" SET statement_timeout = 30000`);
    bouncer = await startPgBouncer(upstream, database, 4);
    [po, pe] = await Promise.all([startPaymentOptionsSandbox(), startPayEngineSandbox()]);
    // deploy/capture.yaml as it is, but for the metrics port: other runs may share this machine.
    dir = mkdtempSync(join(tmpdir(), 'capture-image-config-'));
    [port, metricsPort] = [await freePort(), await freePort()];
    const config = parseYaml(readFileSync(join(WORKSPACE_ROOT, 'deploy/capture.yaml'), 'utf8')) as { metrics: { port: number } };
    config.metrics.port = metricsPort;
    writeFileSync(join(dir, 'capture.yaml'), stringify(config));
    const [command, argv, options] = inImage(image.cmd, environment());
    const child = spawn(command, argv, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    service = child;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    exited = new Promise((done) => service.once('exit', (code) => done(code)));
    const until = Date.now() + 30_000;
    while (!healthy()) {
      if (service.exitCode !== null || Date.now() > until) throw new Error(`the service never became healthy:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, 180_000);

  afterAll(async () => {
    if (service && service.exitCode === null) service.kill('SIGKILL');
    await Promise.all([po?.close(), pe?.close()]);
    await bouncer?.close();
    await admin?.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin?.end();
    if (dir) rmSync(dir, { recursive: true, force: true });
    image?.remove();
  });

  // What compose.yaml gives the container, filled from these host variables, and nothing of the test
  // runner's environment. Only the addresses differ: this machine has no `pgbouncer` host, and other
  // runs may use port 3000.
  function environment(): Record<string, string> {
    const host = {
      CAPTURE_DB_PASSWORD: 'not-used-here',
      PAYMENTOPTIONS_BASE_URL: po.baseUrl,
      PAYMENTOPTIONS_AUTHORIZATION_KEY: po.credentials.authorizationKey,
      PAYMENTOPTIONS_API_KEY: po.credentials.apiKey,
      PAYMENTOPTIONS_MERCHANT_ID: po.credentials.merchantId,
      PAYENGINE_BASE_URL: pe.baseUrl,
      PAYENGINE_SECRET_KEY: pe.credentials,
      PAYENGINE_WEBHOOK_SECRET: 'whsec_image_0123456789',
      CHECKOUT_API_KEY: CHECKOUT_KEY,
      OPS_API_KEY: OPS_KEY,
    };
    const fromCompose = Object.entries(api.environment ?? {}).map(([name, value]) => [name, interpolate(String(value), host)]);
    return {
      ...Object.fromEntries(fromCompose),
      PATH: process.env['PATH'] ?? '',
      HOME: dir,
      CAPTURE_CONFIG: join(dir, 'capture.yaml'),
      PORT: String(port),
      DATABASE_URL: bouncer.url,
    };
  }

  function healthy(): boolean {
    const [command, argv, options] = inImage(image.healthcheck, { PATH: process.env['PATH'] ?? '', PORT: String(port) });
    return spawnSync(command, argv, { ...options, timeout: 3_000 }).status === 0;
  }

  const url = () => `http://127.0.0.1:${port}`;

  test("passes the image's healthcheck once listening, in production mode as the image sets it", async () => {
    expect(healthy()).toBe(true);
    // The line is written once listen() returned; the healthcheck may pass a moment before it arrives.
    for (let i = 0; i < 50 && !stdout.includes('"message":"capture-api listening"'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stdout).toContain(`"message":"capture-api listening","url":"http://127.0.0.1:${port}"`);
    expect(image.env['NODE_ENV']).toBe('production');
  });

  test('captures through a provider loaded by its workspace name, from the compiled files and production packages alone', async () => {
    const body = { account: 'po-jp', authorisationId: `txn_image_${Date.now()}`, amount: { amount: 1000, currency: 'JPY' } };
    const reply = await call(url(), 'POST', '/v1/captures', { body, key: CHECKOUT_KEY, idempotencyKey: `image-${Date.now()}` });
    expect(reply).toMatchObject({ status: 201, body: { status: 'succeeded', capturedAmount: body.amount } });
  });

  test('serves the files it reads at run time: migrations applied, docs and operations page assets', async () => {
    // Readiness counts every migration file beside the compiled code as applied.
    expect((await call(url(), 'GET', '/health/ready')).body).toMatchObject({ status: 'ready' });
    for (const path of [
      '/docs',
      '/docs/assets/swagger-ui-bundle.js',
      '/ops',
      '/ops/assets/ops.js',
      '/ops/assets/preact.mjs',
      '/ops/assets/uPlot.min.css',
    ]) {
      const response = await fetch(`${url()}${path}`);
      expect([path, response.status]).toEqual([path, 200]);
    }
  });

  test('serves metrics on the metrics port only', async () => {
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('captures_total{account="po-jp",provider="paymentoptions",outcome="succeeded"} 1');
    expect((await fetch(`${url()}/metrics`)).status).toBe(404);
  });

  test("drains on SIGTERM and exits 0, within compose's stop grace", async () => {
    service.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('"message":"capture-api stopped"');
    // Past the grace Docker sends SIGKILL: it must outlast the longest drain the service allows itself.
    const deadlineMs = Number(/"message":"capture-api shutting down[^}]*"deadlineMs":(\d+)/.exec(stdout)?.[1]);
    expect(deadlineMs).toBeGreaterThan(0);
    expect(durationMs(api.stop_grace_period ?? '10s')).toBeGreaterThan(deadlineMs);
  });
});
