import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  embeddedBackend,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  type ServiceProcess,
  SHOP_KEY,
  startFakeSandbox,
  startProcess,
  writeConfig,
} from '@capture-gateway/e2e-support';

const RUNS = 2_500;

// Authorisation ids never start with the fake provider's magic prefixes (decline-, error-, crash-…):
// a valid request may capture, and must answer 201, never 5xx.
const authorisationId = fc.string({ minLength: 1, maxLength: 20 }).map((s) => `prop-${s}`);
const validBody = fc.record({
  account: fc.constantFrom('fake-us', 'fake-eu', 'nope'),
  authorisationId,
  amount: fc.record({ amount: fc.integer({ min: 0, max: 1_000_000 }), currency: fc.constantFrom('USD', 'EUR', 'JPY', 'GBP') }),
  description: fc.string({ maxLength: 40 }),
});

// A valid request with one field replaced by anything, removed, or joined by an unknown one.
const mutated = fc
  .tuple(
    validBody,
    fc.constantFrom('account', 'authorisationId', 'amount', 'description', 'metadata', 'providerOptions', 'extra'),
    fc.jsonValue(),
    fc.boolean(),
  )
  .map(([body, field, value, remove]) => {
    const copy: Record<string, unknown> = { ...body };
    if (remove) delete copy[field];
    else copy[field] = value;
    return JSON.stringify(copy);
  });
const mutatedAmount = fc
  .tuple(
    validBody,
    fc.oneof(fc.double(), fc.integer({ min: -1e6, max: -1 }), fc.string(), fc.constant(Number.MAX_SAFE_INTEGER + 2)),
    fc.string({ maxLength: 5 }),
  )
  .map(([body, amount, currency]) => JSON.stringify({ ...body, amount: { amount, currency } }));
const truncated = validBody.chain((body) => {
  const text = JSON.stringify(body);
  return fc.integer({ min: 0, max: text.length - 1 }).map((cut) => text.slice(0, cut));
});
const huge = fc.constantFrom('description', 'authorisationId', 'account').chain((field) =>
  fc.integer({ min: 200, max: 80_000 }).map((size) =>
    JSON.stringify({
      account: 'fake-us',
      authorisationId: 'prop-huge',
      amount: { amount: 1, currency: 'USD' },
      [field]: 'x'.repeat(size),
    }),
  ),
);
const body = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string(),
  mutated,
  mutatedAmount,
  truncated,
  huge,
  validBody.map((b) => JSON.stringify(b)),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
);

describe('random and malformed bodies against POST /v1/captures', () => {
  let sandbox: FakeSandbox;
  let service: ServiceProcess;
  let destroy: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await startFakeSandbox();
    const db = await embeddedBackend.create();
    destroy = db.destroy;
    service = await startProcess(writeConfig(fakeConfig(db.database)), fakeEnv(sandbox));
  });

  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    await destroy?.();
  });

  test(`${RUNS} requests: none is a 5xx, every 4xx is the error shape with a stable code and request id`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, contentType, async (payload, type) => {
        const response = await fetch(`${service.url}/v1/captures`, {
          method: 'POST',
          headers: { authorization: `Bearer ${SHOP_KEY}`, 'content-type': type, 'idempotency-key': randomUUID() },
          body: payload,
        });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          const parsed = JSON.parse(text) as { error: { code: string; message: string }; requestId: string };
          expect(parsed.error.code).toMatch(/^[a-z_]+$/);
          expect(typeof parsed.error.message).toBe('string');
          expect(parsed.requestId).toBe(response.headers.get('x-request-id'));
        }
      }),
      { numRuns: RUNS },
    );
    // The generators reach the parts that matter: refusals, oversize bodies and real captures.
    expect(statuses.get(400)).toBeGreaterThan(RUNS / 4);
    expect(statuses.get(413)).toBeGreaterThan(0);
    expect(statuses.get(201)).toBeGreaterThan(0);
  }, 120_000);
});
