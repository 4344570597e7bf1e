import { startTestApp, type TestApp, callApp } from '../testing/test-app';

const READER = 'reader_key_0123456789abcdef';
const OLD_KEY = 'rotating_old_0123456789abcdef';
const NEW_KEY = 'rotating_new_0123456789abcdef';
const EXPIRED = 'rotating_expired_0123456789ab';

const capture = { account: 'mem-us', authorisationId: 'txn-scope', amount: { amount: 100, currency: 'USD' } };

describe('API keys: scopes and rotation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      clients: [
        { id: 'dashboard', keys: [{ id: 'read-only', key: READER, scopes: ['captures:read'] }], accounts: ['mem-us'] },
        {
          id: 'shop',
          accounts: ['mem-us'],
          keys: [
            { id: 'old', key: OLD_KEY },
            { id: 'new', key: NEW_KEY, scopes: ['captures:create', 'captures:read'] },
            { id: 'gone', key: EXPIRED, notAfter: '2020-01-01T00:00:00Z' },
          ],
        },
      ],
    });
  });
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'POST', url: string, key: string, payload?: object) => callApp(t, method, url, key, payload);

  test('a key without the scope a route needs is 403 insufficient_scope, and may still do what it was given', async () => {
    const refused = await call('POST', '/v1/captures', READER, capture);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'insufficient_scope', message: expect.stringContaining('captures:create') } });
    expect((await call('GET', '/v1/captures', READER)).statusCode).toBe(200);
    expect((await call('GET', '/v1/providers', READER)).statusCode).toBe(200);
  });

  test('during a rotation both keys of a client work, on the same captures; a key past notAfter is 401', async () => {
    const created = await call('POST', '/v1/captures', OLD_KEY, { ...capture, authorisationId: 'txn-rotate' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await call('GET', `/v1/captures/${id}`, NEW_KEY)).json()).toMatchObject({ id, status: 'succeeded' });
    expect((await call('POST', '/v1/captures', NEW_KEY, { ...capture, authorisationId: 'txn-rotate-2' })).statusCode).toBe(201);
    const expired = await call('GET', `/v1/captures/${id}`, EXPIRED);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  test('no key reaches a log line, and neither does a key id stand in for a key', () => {
    const text = t.logs.join('\n');
    for (const key of [READER, OLD_KEY, NEW_KEY, EXPIRED]) expect(text).not.toContain(key);
  });
});
