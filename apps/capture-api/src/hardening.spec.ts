import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ErrorResponseSchema } from './docs';
import { MetricsServer } from './observability';
import { MEMORY_WEBHOOK_SECRET, SHOP_KEY, startTestApp, type TestApp } from './testing/test-app';
import { defined } from './testing/defined';

// Issue 13, items 4 and 9, at the layer a caller sees: HTTP answers (through Fastify's inject).

const BAD_KEY = 'bad_key_0123456789abcdef';

function get(app: NestFastifyApplication, url: string, options: { key?: string | null; from?: string; forwardedFor?: string } = {}) {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? SHOP_KEY : options.key;
  if (key) headers['authorization'] = `Bearer ${key}`;
  if (options.forwardedFor) headers['x-forwarded-for'] = options.forwardedFor;
  return app.inject({ method: 'GET', url, headers, remoteAddress: options.from ?? '127.0.0.1' });
}

async function failTimes(app: NestFastifyApplication, times: number, options: { from?: string; forwardedFor?: string }) {
  for (let i = 0; i < times; i++) expect((await get(app, '/v1/providers', { ...options, key: BAD_KEY })).statusCode).toBe(401);
}

describe('failed-auth rate limit: per source, never for a valid key', () => {
  describe('without trustProxy', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp({ auth: { maxFailures: 3, windowSeconds: 60 } })));
    afterAll(() => t?.close());

    test('a source over its limit gets 429 for bad keys and no key, while a valid key from it passes', async () => {
      await failTimes(t.app, 3, { from: '10.9.0.1' });
      for (const key of [BAD_KEY, null]) {
        const limited = await get(t.app, '/v1/providers', { key, from: '10.9.0.1' });
        expect(limited.statusCode).toBe(429);
        expect(ErrorResponseSchema.parse(limited.json()).error.code).toBe('rate_limited');
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      }
      for (let i = 0; i < 5; i++) expect((await get(t.app, '/v1/providers', { from: '10.9.0.1' })).statusCode).toBe(200);
      // Still limited for the unauthenticated: the valid requests did not reset the count.
      expect((await get(t.app, '/v1/providers', { key: BAD_KEY, from: '10.9.0.1' })).statusCode).toBe(429);
      // Another source is untouched.
      expect((await get(t.app, '/v1/providers', { key: BAD_KEY, from: '10.9.0.2' })).statusCode).toBe(401);
    });

    test('X-Forwarded-For is ignored: a caller cannot escape its limit by naming another address', async () => {
      await failTimes(t.app, 3, { from: '10.9.1.1', forwardedFor: '203.0.113.1' });
      const res = await get(t.app, '/v1/providers', { key: BAD_KEY, from: '10.9.1.1', forwardedFor: '203.0.113.99' });
      expect(res.statusCode).toBe(429);
    });
  });

  describe.each([
    ['a hop count', 1],
    ['a list of proxy addresses and CIDRs', ['192.0.2.10', '10.0.0.0/8']],
  ])('behind a load balancer, with trustProxy as %s', (_name, trustProxy) => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp({ server: { trustProxy }, auth: { maxFailures: 3, windowSeconds: 60 } })));
    afterAll(() => t?.close());

    test('failures count per real client: one client over its limit does not lock out the others behind the balancer', async () => {
      const balancer = '10.1.2.3';
      await failTimes(t.app, 3, { from: balancer, forwardedFor: '203.0.113.7' });
      expect((await get(t.app, '/v1/providers', { key: BAD_KEY, from: balancer, forwardedFor: '203.0.113.7' })).statusCode).toBe(429);
      // Another client behind the same balancer: its own count, so 401, not 429.
      expect((await get(t.app, '/v1/providers', { key: BAD_KEY, from: balancer, forwardedFor: '198.51.100.8' })).statusCode).toBe(401);
      // Valid keys pass, for the limited client too.
      expect((await get(t.app, '/v1/providers', { from: balancer, forwardedFor: '203.0.113.7' })).statusCode).toBe(200);
      expect((await get(t.app, '/v1/providers', { from: balancer, forwardedFor: '198.51.100.9' })).statusCode).toBe(200);
    });
  });

  test('with trusted addresses, a peer that is not a trusted proxy is its own source, whatever X-Forwarded-For says', async () => {
    const t = await startTestApp({ server: { trustProxy: ['10.0.0.0/8'] }, auth: { maxFailures: 2, windowSeconds: 60 } });
    try {
      await failTimes(t.app, 2, { from: '198.51.100.50', forwardedFor: '203.0.113.1' });
      const res = await get(t.app, '/v1/providers', { key: BAD_KEY, from: '198.51.100.50', forwardedFor: '203.0.113.2' });
      expect(res.statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });
});

describe('answers: no caching, no sniffing; webhooks cannot enumerate accounts; /metrics behind a token', () => {
  let t: TestApp;
  const METRICS_TOKEN = 'metrics_token_0123456789';
  beforeAll(async () => (t = await startTestApp({ metrics: { token: METRICS_TOKEN } })));
  afterAll(() => t?.close());

  test('every API answer, errors included, carries Cache-Control: no-store and X-Content-Type-Options: nosniff', async () => {
    const answers = await Promise.all([
      get(t.app, '/v1/providers'),
      get(t.app, '/v1/captures'),
      get(t.app, '/v1/captures', { key: null }),
      get(t.app, '/v1/captures/not-an-id'),
      get(t.app, '/v1/nowhere'),
      get(t.app, '/health/live', { key: null }),
      get(t.app, '/health/ready', { key: null }),
      get(t.app, '/metrics', { key: METRICS_TOKEN }),
      t.app.inject({
        method: 'POST',
        url: '/v1/captures',
        headers: { authorization: `Bearer ${SHOP_KEY}`, 'content-type': 'application/json' },
        payload: '{"account":',
      }),
      t.app.inject({
        method: 'POST',
        url: '/v1/captures',
        headers: { authorization: `Bearer ${SHOP_KEY}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ pad: 'x'.repeat(70 * 1024) }),
      }),
    ]);
    expect(answers.map((res) => res.statusCode)).toEqual([200, 200, 401, 400, 404, 200, 200, 200, 400, 413]);
    for (const res of answers) {
      expect({ url: res.raw.req.url, cacheControl: res.headers['cache-control'], nosniff: res.headers['x-content-type-options'] }).toEqual({
        url: res.raw.req.url,
        cacheControl: 'no-store',
        nosniff: 'nosniff',
      });
    }
  });

  test('/openapi.json keeps its own no-cache, and nosniff', async () => {
    const doc = await get(t.app, '/openapi.json', { key: null });
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['cache-control']).toBe('no-cache');
    expect(doc.headers['x-content-type-options']).toBe('nosniff');
  });

  test('the docs page keeps its own headers (its CSP), not no-store', async () => {
    const page = await get(t.app, '/docs', { key: null });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toBeDefined();
    expect(page.headers['cache-control']).not.toBe('no-store');
  });

  test('a webhook for an unknown account and one with a bad signature get the same 401 answer', async () => {
    const deliver = (account: string, signature: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/webhooks/${account}`,
        headers: { 'content-type': 'application/json', 'x-memory-signature': signature },
        payload: JSON.stringify({ eventId: 'evt_1', authorisationId: 'a-1', status: 'succeeded' }),
      });
    const unknown = await deliver('no-such-account', MEMORY_WEBHOOK_SECRET);
    const forged = await deliver('mem-us', 'not-the-secret');
    for (const res of [unknown, forged]) {
      expect(res.statusCode).toBe(401);
      expect(ErrorResponseSchema.parse(res.json()).error.code).toBe('unauthenticated');
    }
    const withoutRequestId = (body: string) => ({ ...JSON.parse(body), requestId: undefined });
    expect(withoutRequestId(unknown.body)).toEqual(withoutRequestId(forged.body));
    expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(forged.headers).sort());
    // The reason is logged, never answered.
    const refused = t.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l['message'] === 'webhook refused');
    expect(refused.map((l) => l['account'])).toEqual(['no-such-account', 'mem-us']);
  });

  test('/metrics with a token configured: 401 without it or with a wrong one, 200 with it', async () => {
    for (const key of [null, 'wrong_token_0123456789', SHOP_KEY]) {
      const res = await get(t.app, '/metrics', { key });
      expect(res.statusCode).toBe(401);
      expect(ErrorResponseSchema.parse(res.json()).error.code).toBe('unauthenticated');
      expect(res.body).not.toContain('http_requests_total');
    }
    const ok = await get(t.app, '/metrics', { key: METRICS_TOKEN });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('http_requests_total');
  });
});

describe('/metrics on a port of its own', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ server: { host: '127.0.0.1' }, metrics: { port: 0 } })));
  afterAll(() => t?.close());

  test('is not served on the main port (the same 404 as an unknown route), and is on its own', async () => {
    const main = await get(t.app, '/metrics', { key: null });
    const unknown = await get(t.app, '/nowhere', { key: null });
    expect(main.statusCode).toBe(404);
    expect({ ...main.json(), requestId: undefined }).toEqual({ ...unknown.json(), requestId: undefined });
    const address = defined(t.app.get(MetricsServer).address(), 'the metrics port to be listening');
    expect(address.port).toBeGreaterThan(0);
    const own = await fetch(`http://127.0.0.1:${address.port}/metrics`);
    expect(own.status).toBe(200);
    expect(own.headers.get('cache-control')).toBe('no-store');
    expect(await own.text()).toContain('http_requests_total');
    expect((await fetch(`http://127.0.0.1:${address.port}/v1/providers`)).status).toBe(404);
  });
});
