import { connect, createServer, type Socket } from 'node:net';
import {
  capture,
  embeddedBackend,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  SHOP_KEY,
  spawnService,
  startFakeSandbox,
  startProcess,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';

// Issue 13 items 4, 6, 9 and 10, each against the service as operators run it: a separate process.

// Concurrent tests may start before a beforeAll has finished: they await the sandbox themselves.
const sandboxReady: Promise<FakeSandbox> = startFakeSandbox();
let sandbox: FakeSandbox;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await (await sandboxReady).close();
});

async function embeddedConfig(overrides: Record<string, unknown>, fake: { leaseSeconds?: number; timeoutMs?: number } = {}) {
  sandbox = await sandboxReady;
  const db = await embeddedBackend.create();
  cleanups.push(db.destroy);
  return writeConfig({ ...fakeConfig(db.database, fake), ...overrides });
}

async function start(
  overrides: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {},
  fake: { leaseSeconds?: number; timeoutMs?: number } = {},
) {
  const service = await startProcess(await embeddedConfig(overrides, fake), { ...fakeEnv(sandbox), ...env });
  cleanups.push(service.close);
  return service;
}

const url = (base: string) => new URL(base);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Opens a raw connection, writes `data`, and resolves with how long the server took to close it (or rejects after `limitMs`). */
function closedAfter(base: string, data: string, limitMs: number): Promise<{ ms: number; received: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = url(base);
    const started = Date.now();
    let received = '';
    const socket: Socket = connect(Number(port), hostname, () => socket.write(data));
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server still held the connection after ${limitMs} ms`));
    }, limitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ ms: Date.now() - started, received });
    });
  });
}

test.concurrent(
  'item 4: behind a proxy (trustProxy: 1), one client over its failure limit locks out no one else, valid keys never',
  async () => {
    const service = await start({ server: { trustProxy: 1 }, auth: { maxFailures: 3, windowSeconds: 60 } });
    const providers = (clientIp: string, key: string | null) =>
      fetch(`${service.url}/v1/providers`, {
        headers: { 'x-forwarded-for': clientIp, ...(key ? { authorization: `Bearer ${key}` } : {}) },
      }).then((res) => res.status);
    const BAD = 'bad_key_0123456789abcdef';
    for (let i = 0; i < 3; i++) expect(await providers('203.0.113.7', BAD)).toBe(401);
    expect(await providers('203.0.113.7', BAD)).toBe(429);
    expect(await providers('203.0.113.7', null)).toBe(429);
    expect(await providers('203.0.113.7', SHOP_KEY)).toBe(200); // a valid key always passes
    expect(await providers('198.51.100.8', BAD)).toBe(401); // another client behind the same proxy
    expect(await providers('198.51.100.8', SHOP_KEY)).toBe(200);
  },
);

test.concurrent('item 6: a stalled client (half a request, then nothing) is cut off; an idle kept-alive connection too', async () => {
  const service = await start({ server: { requestTimeoutMs: 1_000, keepAliveTimeoutMs: 1_000 } });
  const host = url(service.url).host;
  const halfBody = `POST /v1/captures HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${SHOP_KEY}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"account":`;
  const halfHeaders = `GET /v1/providers HTTP/1.1\r\nHost: ${host}\r\nAuthoriz`;
  const [body, headers] = await Promise.all([closedAfter(service.url, halfBody, 8_000), closedAfter(service.url, halfHeaders, 8_000)]);
  for (const stalled of [body, headers]) {
    expect(stalled.ms).toBeGreaterThanOrEqual(900);
    expect(stalled.ms).toBeLessThan(4_000);
  }
  expect(body.received).toMatch(/^HTTP\/1\.1 408/);
  // A complete request on a kept-alive connection, then silence: closed after keepAliveTimeoutMs.
  const idle = await closedAfter(service.url, `GET /health/live HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 8_000);
  expect(idle.received).toMatch(/^HTTP\/1\.1 200/);
  expect(idle.ms).toBeLessThan(4_000);
  // The request timeout bounds receiving a request, never the wait on the provider (1 s here).
  const slow = await capture(service.url, { account: 'fake-us', authorisationId: `slow-${Date.now()}`, amount: usd(100) });
  expect(slow).toMatchObject({ status: 201, body: { status: 'succeeded' } });
});

test.concurrent(
  'item 6: the shutdown deadline derives from the longest provider timeout: a 35 s provider call still answers after SIGTERM',
  async () => {
    // Before, a constant 30 s deadline killed the process (exit 1) while the capture still waited.
    const service = await start({ idempotency: { leaseSeconds: 60 } }, {}, { timeoutMs: 35_000 });
    const inFlight = capture(service.url, { account: 'fake-us', authorisationId: `timeout-${Date.now()}`, amount: usd(100) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    service.child.kill('SIGTERM');
    const reply = await inFlight;
    expect(reply).toMatchObject({ status: 202, body: { status: 'unknown' } });
    const exit = await service.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.stdout).toContain('"deadlineMs":52000');
  },
  90_000,
);

test.concurrent('item 6: an idempotency lease shorter than the longest provider timeout plus its grace stops start-up', async () => {
  const service = spawnService(await embeddedConfig({ idempotency: { leaseSeconds: 5 } }, { timeoutMs: 4_000 }), fakeEnv(sandbox));
  service.ready.catch(() => undefined);
  const { code, stderr } = await service.exited;
  expect(code).toBe(1);
  expect(stderr.trim()).toBe(
    'capture-api failed to start: capture.yaml: idempotency.leaseSeconds: must exceed the longest account timeout plus 2000 ms (6000 ms)',
  );
});

test.concurrent('item 9: /metrics on its own port, behind a token; not on the API port', async () => {
  const port = await freePort();
  const token = 'metrics_token_0123456789';
  const service = await start({ server: { host: '127.0.0.1' }, metrics: { port, token } });
  const main = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(main.status).toBe(404);
  expect(main.headers.get('cache-control')).toBe('no-store');
  expect(main.headers.get('x-content-type-options')).toBe('nosniff');
  expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
  const own = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(own.status).toBe(200);
  expect(await own.text()).toContain('http_requests_total');
});

test.concurrent(
  'item 10: NODE_ENV=production on the embedded database stops start-up, naming the field; embeddedInProduction: true starts',
  async () => {
    const path = await embeddedConfig({});
    const refused = spawnService(path, { ...fakeEnv(sandbox), NODE_ENV: 'production' });
    refused.ready.catch(() => undefined);
    const { code, stderr } = await refused.exited;
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'capture-api failed to start: capture.yaml: database.embeddedInProduction: NODE_ENV is production and no database.url is set: give a PostgreSQL url, or set embeddedInProduction: true to run on the embedded database (one process)',
    );
    const db = await embeddedBackend.create();
    cleanups.push(db.destroy);
    const allowed = await startProcess(
      writeConfig({ ...fakeConfig({ ...db.database }), database: { ...db.database, embeddedInProduction: true } }),
      {
        ...fakeEnv(sandbox),
        NODE_ENV: 'production',
      },
    );
    cleanups.push(allowed.close);
    expect((await fetch(`${allowed.url}/health/live`)).status).toBe(200);
  },
);
