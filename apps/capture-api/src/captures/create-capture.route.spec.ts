import { ApiKeyGuard } from '../auth/api-key.guard';
import { ErrorResponseSchema } from '../docs';
import { SHOP_KEY, startTestApp, type TestApp } from '../testing/test-app';
import { CapturesService } from './captures.service';

const READ_ONLY_KEY = 'read_only_key_0123456789abcdef';
const OPERATOR_KEY = 'operator_key_0123456789abcdef';
let n = 0;
const body = () => ({ account: 'mem-us', authorisationId: `route-${Date.now()}-${n++}`, amount: { amount: 700, currency: 'USD' } });
const shop = (key = `key-${n++}`) => ({ authorization: `Bearer ${SHOP_KEY}`, 'idempotency-key': key });

// POST /v1/captures is a plain Fastify route, outside Nest's guard and filter: it must answer as they did.
describe('POST /v1/captures, the route built for its cost', () => {
  let t: TestApp;
  const routes: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(
      {
        auth: { maxFailures: 2, windowSeconds: 60 },
        clients: [
          { id: 'shop', apiKey: SHOP_KEY, accounts: ['mem-us'] },
          { id: 'reader', keys: [{ key: READ_ONLY_KEY, scopes: ['captures:read'] }], accounts: ['mem-us'] },
          { id: 'ops', accounts: '*', keys: [{ key: OPERATOR_KEY, scopes: ['ops:read', 'captures:read', 'captures:resolve'] }] },
        ],
      },
      (app) => {
        app
          .getHttpAdapter()
          .getInstance()
          .addHook('onRoute', (route: { method: string | string[]; url: string }) => {
            for (const method of [route.method].flat()) routes.push(`${method} ${route.url}`);
          });
      },
    );
  });
  afterAll(() => t?.close());
  afterEach(() => jest.restoreAllMocks());

  const create = (headers: Record<string, string>, payload: unknown = body(), remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/v1/captures', headers, payload: payload as string, remoteAddress });
  const errorOf = (res: { json(): unknown }) => ErrorResponseSchema.parse(res.json()).error;
  const stored = async (authorisationId: string) =>
    (await t.app.inject({ method: 'GET', url: `/v1/captures?authorisationId=${authorisationId}`, headers: shop() })).json().data;

  test('is registered once, and no Nest guard runs for it', async () => {
    expect(routes.filter((route) => route === 'POST /v1/captures')).toHaveLength(1);
    const guard = jest.spyOn(ApiKeyGuard.prototype, 'canActivate');
    expect((await create(shop())).statusCode).toBe(201);
    expect(guard).not.toHaveBeenCalled();
  });

  test('no key or a wrong key: 401 unauthenticated; then 429 rate_limited with Retry-After, while a valid key passes', async () => {
    const wrong = { authorization: 'Bearer wrong_key_0123456789abcdef', 'idempotency-key': 'k' };
    expect(errorOf(await create({ 'idempotency-key': 'k' }, body(), '10.9.0.1')).code).toBe('unauthenticated');
    expect(errorOf(await create(wrong, body(), '10.9.0.1')).code).toBe('unauthenticated');
    const limited = await create(wrong, body(), '10.9.0.1');
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await create(shop(), body(), '10.9.0.1')).statusCode).toBe(201);
  });

  test('a key without captures:create is 403 insufficient_scope, and nothing is stored', async () => {
    const request = body();
    const res = await create({ authorization: `Bearer ${READ_ONLY_KEY}`, 'idempotency-key': 'k' }, request);
    expect(res.statusCode).toBe(403);
    expect(errorOf(res)).toEqual({ code: 'insufficient_scope', message: 'This API key lacks the captures:create scope' });
    expect(await stored(request.authorisationId)).toEqual([]);
  });

  test('an operator session cookie, even with its CSRF token, cannot create a capture', async () => {
    const opened = await t.app.inject({ method: 'POST', url: '/v1/ops/session', headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
    const cookie = `cg_ops_session=${/^cg_ops_session=([^;]+)/.exec(String(opened.headers['set-cookie']))?.[1] ?? ''}`;
    // The session is good: it reads captures.
    expect((await t.app.inject({ method: 'GET', url: '/v1/captures', headers: { cookie } })).statusCode).toBe(200);
    const request = body();
    const res = await create({ cookie, 'x-csrf-token': opened.json().csrfToken, 'idempotency-key': 'k' }, request, '10.9.0.2');
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('unauthenticated');
    expect(await stored(request.authorisationId)).toEqual([]);
  });

  test.each([
    ['a missing field', { authorisationId: 'x' }, 'account'],
    ['an unknown field', { ...body(), colour: 'red' }, 'colour'],
    ['a fractional amount', { ...body(), amount: { amount: 1.5, currency: 'USD' } }, 'amount.amount'],
    ['a card number in the metadata', { ...body(), metadata: { note: '4111 1111 1111 1111' } }, 'metadata.note'],
  ])('%s: 400 naming the field in param', async (_, payload, param) => {
    const res = await create(shop(), payload);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).param).toBe(param);
  });

  test('the same key and body replays the answer with idempotent-replayed; another body is 422', async () => {
    const request = body();
    const first = await create(shop('replay-key'), request);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await create(shop('replay-key'), request);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    const other = await create(shop('replay-key'), { ...request, description: 'another' });
    expect(other.statusCode).toBe(422);
    expect(errorOf(other)).toMatchObject({ code: 'idempotency_key_reused', param: 'Idempotency-Key' });
  });

  test('a body past the limit is 413 payload_too_large; not JSON, or not a JSON media type, is 400 invalid_request', async () => {
    const json = { ...shop(), 'content-type': 'application/json' };
    const large = await create(json, JSON.stringify({ ...body(), description: 'x'.repeat(70_000) }));
    expect(large.statusCode).toBe(413);
    expect(errorOf(large).code).toBe('payload_too_large');
    const broken = await create(json, '{"account":');
    expect(broken.statusCode).toBe(400);
    expect(errorOf(broken)).toEqual({ code: 'invalid_request', message: 'The request body is not valid JSON' });
    const xml = await create({ ...shop(), 'content-type': 'application/xml' }, '<capture/>');
    expect(xml.statusCode).toBe(400);
    expect(errorOf(xml).code).toBe('invalid_request');
    const text = await create({ ...shop(), 'content-type': 'text/plain' }, 'capture please');
    expect(text.statusCode).toBe(400);
    expect(errorOf(text).code).toBe('invalid_request');
    // Byte for byte what a Nest route (through the global filter) answers to the same refusal.
    const viaNest = async (headers: Record<string, string>, payload: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/captures/cap_0123456789/resolve', headers, payload });
      return res.body.replace(String(res.headers['x-request-id']), 'REQ');
    };
    const same = (res: { body: string; headers: Record<string, unknown> }) => res.body.replace(String(res.headers['x-request-id']), 'REQ');
    expect(same(large)).toBe(await viaNest(json, JSON.stringify({ note: 'x'.repeat(70_000) })));
    expect(same(broken)).toBe(await viaNest(json, '{"account":'));
    expect(same(xml)).toBe(await viaNest({ ...shop(), 'content-type': 'application/xml' }, '<capture/>'));
  });

  test('an unexpected error is the 500 shape without internals, logged with its request', async () => {
    jest.spyOn(CapturesService.prototype, 'create').mockRejectedValue(new Error('secret internals at db.example:5432'));
    const res = await create({ ...shop(), 'x-request-id': 'req-route-500' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong on our side' },
      requestId: 'req-route-500',
    });
    const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === 'req-route-500' && l.message === 'request failed');
    expect(line).toMatchObject({ level: 'error', context: 'ApiExceptionFilter', method: 'POST', route: '/v1/captures' });
    expect(line.err.message).toContain('secret internals');
  });

  test('the request id, the log line and the HTTP metrics name the route pattern', async () => {
    const res = await create({ ...shop(), 'x-request-id': 'req-route-observed' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toBe('req-route-observed');
    expect(res.headers['cache-control']).toBe('no-store');
    const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === 'req-route-observed' && l.message === 'request completed');
    expect(line).toMatchObject({ method: 'POST', route: '/v1/captures', status: 201 });
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/v1\/captures",status="201"\} [1-9]/);
  });
});
