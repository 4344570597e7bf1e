import { OTHER_KEY, SHOP_KEY, startTestApp, type TestApp, callApp } from '../testing/test-app';

const OPERATOR = 'operator_key_0123456789abcdef';

describe("an operator's resolution of a capture in doubt", () => {
  let t: TestApp;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({
      clients: [
        { id: 'shop', apiKey: SHOP_KEY, accounts: ['mem-us'] },
        { id: 'other', apiKey: OTHER_KEY, accounts: ['mem-eu'] },
        { id: 'ops', keys: [{ id: 'on-call', key: OPERATOR, scopes: ['captures:read', 'captures:resolve'] }], accounts: ['mem-us'] },
      ],
    });
  });
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'POST', url: string, key: string, payload?: object) => callApp(t, method, url, key, payload);
  const capture = async (authorisationId: string) => {
    const created = await call('POST', '/v1/captures', SHOP_KEY, {
      account: 'mem-us',
      authorisationId,
      amount: { amount: 700, currency: 'USD' },
    });
    return created.json() as { id: string; status: string };
  };
  const resolve = (id: string, body: object, key = OPERATOR) => call('POST', `/v1/captures/${id}/resolve`, key, body);

  test('resolves an unknown capture as succeeded, audited with who, why and the request', async () => {
    const stuck = await capture(`unknown-${n++}`);
    expect(stuck.status).toBe('unknown');
    const reason = 'Provider dashboard shows the capture settled (ticket OPS-12)';
    const resolved = await resolve(stuck.id, { status: 'succeeded', reason, providerReference: 'mem_ref_1' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({
      id: stuck.id,
      status: 'succeeded',
      capturedAmount: { amount: 700 },
      providerReferences: { captureId: 'mem_ref_1' },
    });
    const history = (await call('GET', `/v1/captures/${stuck.id}/history`, SHOP_KEY)).json().data;
    expect(history.at(-1)).toEqual({
      kind: 'status',
      from: 'unknown',
      to: 'succeeded',
      source: 'operator',
      actor: 'ops/on-call',
      reason,
      requestId: resolved.headers['x-request-id'],
      at: expect.any(String),
    });
  });

  test('resolving failed frees a once-only authorisation for a new capture', async () => {
    const authorisationId = `unknown-${n++}`;
    const stuck = await capture(authorisationId);
    const again = await call('POST', '/v1/captures', SHOP_KEY, {
      account: 'mem-us',
      authorisationId,
      amount: { amount: 700, currency: 'USD' },
    });
    expect(again.json()).toMatchObject({ error: { code: 'already_captured' } });
    const resolved = await resolve(stuck.id, { status: 'failed', reason: 'Provider confirmed it never captured' });
    expect(resolved.json()).toMatchObject({ status: 'failed', error: { code: 'resolved_by_operator' } });
    // The authorisation is free again (the memory provider answers `unknown-…` as unknown again).
    const retried = await call('POST', '/v1/captures', SHOP_KEY, {
      account: 'mem-us',
      authorisationId,
      amount: { amount: 700, currency: 'USD' },
    });
    expect(retried.statusCode).toBe(202);
  });

  test("a final capture is 409; another client's capture is 404; without the scope 403; a bad body 400", async () => {
    const done = await capture(`txn-${n++}`);
    expect(done.status).toBe('succeeded');
    const final = await resolve(done.id, { status: 'failed', reason: 'mistake' });
    expect(final.statusCode).toBe(409);
    expect(final.json()).toMatchObject({ error: { code: 'capture_not_in_doubt' } });

    const elsewhere = (
      await call('POST', '/v1/captures', OTHER_KEY, {
        account: 'mem-eu',
        authorisationId: `unknown-${n++}`,
        amount: { amount: 1, currency: 'EUR' },
      })
    ).json();
    const hidden = await resolve(elsewhere.id, { status: 'failed', reason: 'not mine' });
    expect(hidden.statusCode).toBe(404);

    const stuck = await capture(`unknown-${n++}`);
    const refused = await resolve(stuck.id, { status: 'failed', reason: 'no scope' }, SHOP_KEY);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'insufficient_scope' } });

    const bad = await resolve(stuck.id, { status: 'succeeded' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request', param: 'reason' } });
    expect((await call('GET', `/v1/captures/${stuck.id}`, SHOP_KEY)).json().status).toBe('unknown');
  });

  test.each([
    ['a NUL in reason', { reason: 'checked\u0000 ok' }, 'invalid_request', 'reason'],
    ['an ESC in reason', { reason: 'checked \u001b[31m ok' }, 'invalid_request', 'reason'],
    ['a lone surrogate in reason', { reason: 'checked \ud800 ok' }, 'invalid_request', 'reason'],
    ['a card number in reason', { reason: 'customer card 4111 1111 1111 1111 declined' }, 'card_number_in_text', 'reason'],
    ['a NUL in providerReference', { reason: 'Provider report', providerReference: 'ref\u0000' }, 'invalid_request', 'providerReference'],
    [
      'a lone surrogate in providerReference',
      { reason: 'Provider report', providerReference: '\udfffref' },
      'invalid_request',
      'providerReference',
    ],
    [
      'a card number in providerReference',
      { reason: 'Provider report', providerReference: '5200 0000-0000 1005' },
      'card_number_in_text',
      'providerReference',
    ],
    ['a reason past 500 characters', { reason: 'x'.repeat(501) }, 'invalid_request', 'reason'],
  ])('%s: 400 with its code, naming the field; the capture stays in doubt', async (_name, body, code, param) => {
    const stuck = await capture(`unknown-${n++}`);
    const refused = await resolve(stuck.id, { status: 'failed', ...body });
    expect({ status: refused.statusCode, error: refused.json().error }).toMatchObject({ status: 400, error: { code, param } });
    expect(refused.body).not.toContain('4111');
    expect((await call('GET', `/v1/captures/${stuck.id}`, SHOP_KEY)).json().status).toBe('unknown');
  });

  test('a multi-line reason is kept as written, its surrounding spaces trimmed', async () => {
    const stuck = await capture(`unknown-${n++}`);
    const resolved = await resolve(stuck.id, { status: 'failed', reason: '  Provider report:\n\tnever captured (OPS-13)  ' });
    expect(resolved.json()).toMatchObject({
      status: 'failed',
      error: { message: 'Resolved as failed by an operator: Provider report:\n\tnever captured (OPS-13)' },
    });
  });

  test('a pending capture can be resolved; the operator key works only on its own accounts', async () => {
    const pending = await capture(`pending-${n++}`);
    expect(pending.status).toBe('pending');
    expect((await resolve(pending.id, { status: 'failed', reason: 'Expired at the provider' })).json().status).toBe('failed');
  });

  test('the in-doubt gauges count captures in doubt by account and status, and drop when they are resolved', async () => {
    const gauge = async () => {
      const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      const count = /^capture_in_doubt\{account="mem-us",status="unknown"\} (\d+)$/m.exec(text);
      const age = /^capture_in_doubt_oldest_age_seconds\{account="mem-us",status="unknown"\} ([\d.e+-]+)$/m.exec(text);
      return { count: Number(count?.[1] ?? 0), age: Number(age?.[1] ?? -1) };
    };
    const before = await gauge();
    const stuck = await capture(`unknown-${n++}`);
    const during = await gauge();
    expect(during.count).toBe(before.count + 1);
    expect(during.age).toBeGreaterThanOrEqual(0);
    await resolve(stuck.id, { status: 'failed', reason: 'Provider confirmed it never captured' });
    expect((await gauge()).count).toBe(before.count);
  });

  test('acknowledging needs an open flag (409 capture_not_flagged), the scope, and a note without a card number', async () => {
    const done = await capture(`ack-${n++}`);
    const acknowledge = (body: object, key = OPERATOR) => call('POST', `/v1/captures/${done.id}/acknowledge`, key, body);
    const refused = await acknowledge({ note: 'Nothing to see here' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'capture_not_flagged', param: 'id' });
    expect((await acknowledge({ note: 'Nothing to see here' }, SHOP_KEY)).statusCode).toBe(403);
    const card = await acknowledge({ note: 'card 4111 1111 1111 1111 refunded' });
    expect(card.statusCode).toBe(400);
    expect(card.json().error).toMatchObject({ code: 'card_number_in_text', param: 'note' });
    expect((await acknowledge({ note: 'ok', extra: true })).statusCode).toBe(400);
  });
});
