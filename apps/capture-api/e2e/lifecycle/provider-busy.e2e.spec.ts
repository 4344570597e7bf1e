import {
  capture,
  defined,
  embeddedBackend,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  listCaptures,
  OTHER_KEY,
  type ServiceProcess,
  SHOP_KEY,
  startFakeSandbox,
  startProcess,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';
import type { ApiErrorBody, Capture } from '@capture-gateway/client';

// Issue 23, part 3: one client's captures hanging at the provider must not mark captures that never
// left the service as money in doubt, nor block every other client of the account.

const TIMEOUT_MS = 2_000;
const HANGING = 200;

let sandbox: FakeSandbox;
let service: ServiceProcess;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  sandbox = await startFakeSandbox();
  cleanups.push(() => sandbox.close());
  const db = await embeddedBackend.create();
  cleanups.push(db.destroy);
  const base = fakeConfig(db.database, { timeoutMs: TIMEOUT_MS });
  // Two clients of one account: `shop` (A) floods it, `other` (B) captures once. Default slots.
  const config = {
    ...base,
    clients: [
      { id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: ['fake-us'] },
      { id: 'other', apiKey: { env: 'OTHER_API_KEY' }, accounts: ['fake-us'] },
    ],
  };
  service = await startProcess(writeConfig(config), fakeEnv(sandbox));
  cleanups.push(service.close);
});

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const hanging = (i: number) => `timeout-a-${i}`;

test('a flood of hanging captures: only what was sent is in doubt, the rest is refused busy, another client is served', async () => {
  const started = Date.now();
  // The provider receives these and never answers (the fake sandbox's `timeout-` authorisations).
  const flood = Array.from({ length: HANGING }, (_, i) =>
    capture<Capture | ApiErrorBody>(
      service.url,
      { account: 'fake-us', authorisationId: hanging(i), amount: usd(100) },
      `busy-a-${i}`,
      SHOP_KEY,
    ),
  );
  // B arrives just after A's flood, while every slot A may hold is taken.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const b = capture(service.url, { account: 'fake-us', authorisationId: 'auth-b-1', amount: usd(250) }, 'busy-b-1', OTHER_KEY).then(
    (reply) => ({ reply, ms: Date.now() - started }),
  );
  const [replies, bAnswer] = await Promise.all([Promise.all(flood), b]);

  // B is answered (captured) within the account's timeout plus a few seconds, not starved by A.
  expect(bAnswer.reply.status).toBe(201);
  expect(bAnswer.reply.body.status).toBe('succeeded');
  expect(bAnswer.ms).toBeLessThan(TIMEOUT_MS + 3_000);

  const busy: number[] = [];
  const timedOut: number[] = [];
  replies.forEach((reply, i) => {
    if (reply.status === 503) busy.push(i);
    else timedOut.push(i);
  });
  expect(busy.length).toBeGreaterThan(0);
  expect(timedOut.length).toBeGreaterThan(0);
  for (const i of busy) {
    const reply = defined(replies[i], 'a refused capture');
    expect(reply.body.error?.code).toBe('provider_busy');
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(sandbox.capturesOf(hanging(i))).toBe(0);
  }
  for (const i of timedOut) {
    expect(replies[i]).toMatchObject({ status: 202, body: { status: 'unknown' } });
    expect(sandbox.capturesOf(hanging(i))).toBe(1);
  }

  // What is stored as in doubt is exactly what the provider received; a refused capture is stored as nothing.
  const unknown = await listCaptures(service.url, '?status=unknown&limit=100', { key: SHOP_KEY });
  const inDoubt = new Set(unknown.body.data.map((record) => record.authorisationId));
  expect(unknown.body.nextCursor).toBeNull();
  expect(inDoubt).toEqual(new Set(timedOut.map(hanging)));
  const all = await listCaptures(service.url, '?limit=100', { key: SHOP_KEY });
  const stored = new Set(all.body.data.map((record) => record.authorisationId));
  for (const i of busy) expect(stored.has(hanging(i))).toBe(false);

  // The refusals are counted per account and client.
  const metrics = await fetch(`${service.url}/metrics`).then((res) => res.text());
  expect(metrics).toContain(`capture_provider_busy_total{account="fake-us",client="shop"} ${busy.length}`);

  // The refused capture's key was left free: the client's retry with the same key is sent now.
  const retried = busy[0] ?? -1;
  const retry = await capture(
    service.url,
    { account: 'fake-us', authorisationId: hanging(retried), amount: usd(100) },
    `busy-a-${retried}`,
    SHOP_KEY,
  );
  expect(retry.status).toBe(202);
  expect(retry.body.status).toBe('unknown');
  expect(sandbox.capturesOf(hanging(retried))).toBe(1);
}, 60_000);
