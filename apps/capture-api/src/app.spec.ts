import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DOCUMENTED_ROUTES, ErrorResponseSchema, ProviderListSchema } from './docs';
import { redoclyLint } from './docs/testing/redocly-lint';
import { MEMORY_API_KEY, MEMORY_WEBHOOK_SECRET, OTHER_KEY, SHOP_KEY, startTestApp, type TestApp } from './testing/test-app';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
let n = 0;
const authId = (prefix = 'txn') => `${prefix}-${Date.now()}-${n++}`;

async function post(
  app: NestFastifyApplication,
  url: string,
  payload: unknown,
  key: string | null = SHOP_KEY,
  remoteAddress = '127.0.0.1',
) {
  // Captures need an Idempotency-Key by default: each post brings a fresh one.
  const headers = { ...(key ? bearer(key) : {}), ...(url === '/v1/captures' ? { 'idempotency-key': randomUUID() } : {}) };
  return app.inject({ method: 'POST', url, payload: payload as object, headers, remoteAddress });
}

async function get(app: NestFastifyApplication, url: string, key: string | null = SHOP_KEY, remoteAddress = '127.0.0.1') {
  return app.inject({ method: 'GET', url, headers: key ? bearer(key) : {}, remoteAddress });
}

describe('the service, in-process', () => {
  let t: TestApp;
  const registered: Array<{ method: string; url: string }> = [];

  beforeAll(async () => {
    t = await startTestApp({ auth: { maxFailures: 3, windowSeconds: 60 } }, (app) => {
      app
        .getHttpAdapter()
        .getInstance()
        .addHook('onRoute', (route: { method: string | string[]; url: string }) => {
          for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push({ method, url: route.url });
        });
    });
  });

  afterAll(() => t?.close());

  test('every route the app registers is in /openapi.json, except the docs and operations pages and their assets', async () => {
    const doc = (await get(t.app, '/openapi.json', null)).json();
    const api = registered.filter((route) => !route.url.startsWith('/docs') && !route.url.startsWith('/ops'));
    expect(api.length).toBeGreaterThanOrEqual(10);
    for (const route of api) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect({ route, documented: doc.paths[path]?.[route.method.toLowerCase()] !== undefined }).toEqual({ route, documented: true });
    }
    expect(DOCUMENTED_ROUTES.length).toBe(api.length);
    // The loaded plugin's providerOptions are documented.
    expect(doc.components.schemas['ProviderOptions_memory']).toBeDefined();
  });

  test("the app's own /openapi.json passes `redocly lint` with no error and no warning", async () => {
    const output = await redoclyLint((await get(t.app, '/openapi.json', null)).body);
    expect(output).toContain('Your API description is valid');
    expect(output).not.toMatch(/warning/i);
  }, 60_000);

  test('no key or a wrong key is 401 unauthenticated, in the error shape', async () => {
    for (const key of [null, 'wrong_key_0123456789abcdef']) {
      const res = await get(t.app, '/v1/captures', key, '10.0.0.1');
      expect(res.statusCode).toBe(401);
      expect(ErrorResponseSchema.parse(res.json()).error.code).toBe('unauthenticated');
    }
  });

  test('repeated failed authentication is 429 rate_limited with Retry-After; valid keys from that source and others are not slowed', async () => {
    for (let i = 0; i < 3; i++) expect((await get(t.app, '/v1/providers', 'bad_key_0123456789abcdef', '10.0.0.2')).statusCode).toBe(401);
    const limited = await get(t.app, '/v1/providers', null, '10.0.0.2');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // A valid key from the same source passes while the source is over its limit.
    expect((await get(t.app, '/v1/providers', SHOP_KEY, '10.0.0.2')).statusCode).toBe(200);
    // Another address, and many successful requests, are never limited.
    for (let i = 0; i < 10; i++) expect((await get(t.app, '/v1/providers', SHOP_KEY, '10.0.0.3')).statusCode).toBe(200);
    // Public routes need no key and are not limited.
    expect((await get(t.app, '/health/live', null, '10.0.0.2')).statusCode).toBe(200);
  });

  test('GET /v1/providers lists the plugin with version and capabilities, and only the accounts the caller may use', async () => {
    const shop = await get(t.app, '/v1/providers');
    expect(shop.statusCode).toBe(200);
    expect(ProviderListSchema.parse(shop.json())).toEqual({
      data: [
        {
          id: 'memory',
          displayName: 'Memory Provider',
          version: '2.3.4',
          capabilities: {
            partialCapture: true,
            multipleCaptures: false,
            captureWithoutAmount: false,
            webhooks: true,
            statusCheck: false,
            currencies: ['USD', 'EUR'],
          },
          accounts: ['mem-us'],
        },
      ],
    });
    expect((await get(t.app, '/v1/providers', OTHER_KEY)).json().data[0].accounts).toEqual(['mem-eu']);
    expect(shop.body).not.toContain(MEMORY_API_KEY);
    expect(shop.body).not.toContain(MEMORY_WEBHOOK_SECRET);
  });

  test("another client's capture is 404, on read, history and capture; a bad id is 400 with param id", async () => {
    const created = await post(t.app, '/v1/captures', {
      account: 'mem-us',
      authorisationId: authId(),
      amount: { amount: 100, currency: 'USD' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await get(t.app, `/v1/captures/${id}`, OTHER_KEY)).json().error.code).toBe('not_found');
    expect((await get(t.app, `/v1/captures/${id}/history`, OTHER_KEY)).statusCode).toBe(404);
    expect(
      (
        await post(
          t.app,
          '/v1/captures',
          { account: 'mem-us', authorisationId: authId(), amount: { amount: 1, currency: 'USD' } },
          OTHER_KEY,
        )
      ).json().error,
    ).toMatchObject({ code: 'not_found', param: 'account' });
    expect((await get(t.app, '/v1/captures', OTHER_KEY)).json().data).toEqual([]);
    const bad = await get(t.app, '/v1/captures/not-an-id');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid_request', param: 'id' });
    expect((await get(t.app, '/v1/captures/not-an-id/history')).json().error.param).toBe('id');
  });

  test('the request id reaches the provider call and every log line about the request', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/captures',
      headers: { ...bearer(SHOP_KEY), 'x-request-id': 'trace-req-000123', 'idempotency-key': randomUUID() },
      payload: { account: 'mem-us', authorisationId: authId(), amount: { amount: 5, currency: 'USD' } },
    });
    expect(res.headers['x-request-id']).toBe('trace-req-000123');
    const lines = t.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ message: 'memory capture', requestId: 'trace-req-000123', plugin: 'memory', account: 'mem-us' }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ message: 'request completed', requestId: 'trace-req-000123', route: '/v1/captures', status: 201 }),
    );
    const all = t.logs.join('\n');
    for (const secret of [MEMORY_API_KEY, MEMORY_WEBHOOK_SECRET, SHOP_KEY, OTHER_KEY]) expect(all).not.toContain(secret);
  });
});
