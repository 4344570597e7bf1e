import { randomUUID } from 'node:crypto';
import { ErrorResponseSchema } from '../docs';
import { SHOP_KEY, startTestApp, type TestApp } from '../testing/test-app';

const headers = { authorization: `Bearer ${SHOP_KEY}`, 'content-type': 'application/json' };
const valid = { account: 'mem-us', authorisationId: 'txn-errors-1', amount: { amount: 100, currency: 'USD' } };

describe('errors: one shape, a stable code and the field at fault', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t?.close());

  const send = (payload: string, extra: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/v1/captures', headers: { 'idempotency-key': randomUUID(), ...headers, ...extra }, payload });

  async function expectError(res: Awaited<ReturnType<typeof send>>, status: number, code: string, param?: string) {
    expect({ status: res.statusCode, body: res.json() }).toMatchObject({ status, body: { error: { code, ...(param ? { param } : {}) } } });
    const body = ErrorResponseSchema.parse(res.json());
    expect(body.requestId).toBe(res.headers['x-request-id']);
  }

  test.each([
    ['an unknown field', { ...valid, surprise: 1 }, 'surprise'],
    ['an unknown nested field', { ...valid, amount: { ...valid.amount, cents: 1 } }, 'amount.cents'],
    ['a wrong type', { ...valid, authorisationId: 42 }, 'authorisationId'],
    ['negative minor units', { ...valid, amount: { amount: -1, currency: 'USD' } }, 'amount.amount'],
    ['fractional minor units', { ...valid, amount: { amount: 1.5, currency: 'USD' } }, 'amount.amount'],
    ['an unknown currency', { ...valid, amount: { amount: 1, currency: 'XYZ' } }, 'amount.currency'],
    ['a lower-case currency', { ...valid, amount: { amount: 1, currency: 'usd' } }, 'amount.currency'],
    ['an oversize string', { ...valid, description: 'x'.repeat(256) }, 'description'],
    ['an oversize metadata value', { ...valid, metadata: { k: 'v'.repeat(501) } }, 'metadata.k'],
    ['a bad account slug', { ...valid, account: 'Not A Slug' }, 'account'],
    ['unknown providerOptions', { ...valid, providerOptions: { other: 1 } }, 'providerOptions.other'],
  ])('%s is 400 invalid_request naming the field', async (_name, body, param) => {
    await expectError(await send(JSON.stringify(body)), 400, 'invalid_request', param);
  });

  test.each([
    ['malformed JSON', '{"account": "mem-us",'],
    ['an empty body', ''],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"capture"'],
    ['JSON null', 'null'],
  ])('%s is 400 invalid_request', async (_name, payload) => {
    await expectError(await send(payload), 400, 'invalid_request');
  });

  test('another content type is 4xx in the error shape', async () => {
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const res = await send('account=mem-us', { 'content-type': type });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(ErrorResponseSchema.safeParse(res.json()).success).toBe(true);
    }
  });

  test('an oversize body is 413 payload_too_large', async () => {
    await expectError(await send(JSON.stringify({ ...valid, description: 'x'.repeat(70 * 1024) })), 413, 'payload_too_large');
  });

  test('bad query filters are 400 naming the filter', async () => {
    for (const [query, param] of [
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['status=done', 'status'],
      ['createdFrom=yesterday', 'createdFrom'],
      ['cursor=x', 'cursor'],
      ['colour=red', 'colour'],
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `/v1/captures?${query}`, headers });
      await expectError(res, 400, 'invalid_request', param);
    }
  });

  test('an unknown route is 404 not_found in the error shape', async () => {
    await expectError(await t.app.inject({ method: 'GET', url: '/v1/nothing-here', headers }), 404, 'not_found');
  });
});
