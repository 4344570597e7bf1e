import { callApp, SHOP_KEY, startTestApp, type TestApp } from '../testing/test-app';

const OPERATOR_KEY = 'operator_key_0123456789abcdef';
const READER_KEY = 'ops_reader_key_0123456789abcdef';
let n = 0;

describe('operator sessions over HTTP: the ops page trades its key for a cookie', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      clients: [
        { id: 'shop', apiKey: SHOP_KEY, accounts: ['mem-us'] },
        {
          id: 'ops',
          accounts: '*',
          keys: [
            { id: 'on-call', key: OPERATOR_KEY, scopes: ['ops:read', 'captures:read', 'captures:resolve'] },
            { id: 'reader', key: READER_KEY, scopes: ['ops:read'] },
          ],
        },
      ],
    });
  });
  afterAll(() => t?.close());

  const openSession = async (key = OPERATOR_KEY, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/ops/session', headers: { authorization: `Bearer ${key}`, ...headers } });
    expect(res.statusCode).toBe(201);
    const setCookie = String(res.headers['set-cookie']);
    const value = /^cg_ops_session=([^;]+)/.exec(setCookie)?.[1] ?? '';
    return {
      setCookie,
      cookie: `cg_ops_session=${value}`,
      body: res.json() as { csrfToken: string; client: string; keyId: string; expiresAt: string },
    };
  };
  const unknownCapture = async () => {
    const res = await callApp(t, 'POST', '/v1/captures', SHOP_KEY, {
      account: 'mem-us',
      authorisationId: `unknown-${Date.now()}-${n++}`,
      amount: { amount: 1250, currency: 'USD' },
    });
    return res.json() as { id: string };
  };

  test('opening a session sets an HttpOnly, SameSite=Strict, 15-minute cookie on /, Secure behind TLS; the answer never holds the key', async () => {
    const { setCookie, body } = await openSession();
    expect(setCookie).toMatch(/Max-Age=900/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/);
    expect(body).toMatchObject({ client: 'ops', keyId: 'on-call', csrfToken: expect.any(String) });
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(JSON.stringify(body) + setCookie).not.toContain(OPERATOR_KEY);
    const tls = await openSession(OPERATOR_KEY, { 'x-forwarded-proto': 'https' });
    expect(tls.setCookie).toMatch(/; Secure/);
  });

  test("the cookie alone reads the page's data and captures, but never reaches routes outside the page", async () => {
    const { cookie, body } = await openSession();
    expect((await t.app.inject({ method: 'GET', url: '/v1/ops/attention', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/v1/captures', headers: { cookie } })).statusCode).toBe(200);
    const current = await t.app.inject({ method: 'GET', url: '/v1/ops/session', headers: { cookie } });
    expect(current.json()).toMatchObject({ client: 'ops', keyId: 'on-call', csrfToken: body.csrfToken });
    const create = await t.app.inject({
      method: 'POST',
      url: '/v1/captures',
      headers: { cookie, 'idempotency-key': `k-${n++}`, 'x-csrf-token': body.csrfToken },
      payload: { account: 'mem-us', authorisationId: `ok-${n++}`, amount: { amount: 100, currency: 'USD' } },
    });
    expect([create.statusCode, create.json().error.code]).toEqual([401, 'unauthenticated']);
    // A cookie cannot open another session: only the key can.
    expect((await t.app.inject({ method: 'POST', url: '/v1/ops/session', headers: { cookie } })).statusCode).toBe(401);
  });

  test('resolving through a session needs its CSRF token: missing or wrong is 403 csrf_token_invalid, right resolves with the operator in history', async () => {
    const { cookie, body } = await openSession();
    const other = await openSession();
    const stuck = await unknownCapture();
    const resolve = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/captures/${stuck.id}/resolve`,
        headers: { cookie, ...headers },
        payload: { status: 'failed', reason: 'Not in the settlement report' },
      });
    for (const headers of [{} as Record<string, string>, { 'x-csrf-token': 'wrong' }, { 'x-csrf-token': other.body.csrfToken }]) {
      const refused = await resolve(headers);
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'csrf_token_invalid']);
    }
    const done = await resolve({ 'x-csrf-token': body.csrfToken });
    expect([done.statusCode, done.json().status]).toEqual([200, 'failed']);
    const history = (await callApp(t, 'GET', `/v1/captures/${stuck.id}/history`, OPERATOR_KEY)).json() as { data: { actor?: string }[] };
    expect(history.data.map((entry) => entry.actor)).toContain('ops/on-call');
  });

  test("a session keeps its key's scopes, signing out ends it, and no key or token reaches a log", async () => {
    const reader = await openSession(READER_KEY);
    const stuck = await unknownCapture();
    const refused = await t.app.inject({
      method: 'POST',
      url: `/v1/captures/${stuck.id}/resolve`,
      headers: { cookie: reader.cookie, 'x-csrf-token': reader.body.csrfToken },
      payload: { status: 'failed', reason: 'Not in the settlement report' },
    });
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'insufficient_scope']);

    const out = await t.app.inject({
      method: 'DELETE',
      url: '/v1/ops/session',
      headers: { cookie: reader.cookie, 'x-csrf-token': reader.body.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^cg_ops_session=; Max-Age=0/);
    const after = await t.app.inject({ method: 'GET', url: '/v1/ops/attention', headers: { cookie: reader.cookie } });
    expect([after.statusCode, after.json().error.code]).toEqual([401, 'unauthenticated']);

    const logs = t.logs.join('\n');
    for (const secret of [OPERATOR_KEY, READER_KEY, reader.body.csrfToken, reader.cookie.split('=')[1] ?? ''])
      expect(logs).not.toContain(secret);
  });
});

describe('a session ends when its key is rotated out', () => {
  test('the same client and key id with a new key value: the old session is 401', async () => {
    const first = await startTestApp({
      clients: [{ id: 'ops', accounts: '*', keys: [{ id: 'on-call', key: OPERATOR_KEY, scopes: ['ops:read'] }] }],
    });
    let cookie = '';
    try {
      const res = await first.app.inject({ method: 'POST', url: '/v1/ops/session', headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
      cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
      expect((await first.app.inject({ method: 'GET', url: '/v1/ops/attention', headers: { cookie } })).statusCode).toBe(200);
    } finally {
      await first.close();
    }
    // Another replica (or this one after a restart) on the same config takes the session; after a rotation it does not.
    const same = await startTestApp({
      clients: [{ id: 'ops', accounts: '*', keys: [{ id: 'on-call', key: OPERATOR_KEY, scopes: ['ops:read'] }] }],
    });
    try {
      expect((await same.app.inject({ method: 'GET', url: '/v1/ops/attention', headers: { cookie } })).statusCode).toBe(200);
    } finally {
      await same.close();
    }
    const rotated = await startTestApp({
      clients: [{ id: 'ops', accounts: '*', keys: [{ id: 'on-call', key: READER_KEY, scopes: ['ops:read'] }] }],
    });
    try {
      const res = await rotated.app.inject({ method: 'GET', url: '/v1/ops/attention', headers: { cookie } });
      expect([res.statusCode, res.json().error.code]).toEqual([401, 'unauthenticated']);
    } finally {
      await rotated.close();
    }
  });
});
