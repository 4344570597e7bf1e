import {
  BACKENDS,
  call,
  capture,
  type DatabaseSettings,
  defined,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  getCapture,
  getHistory,
  listCaptures,
  OTHER_KEY,
  type ServiceProcess,
  startFakeSandbox,
  startProcess,
  storedRowsText,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';
import type { ApiErrorBody } from '@capture-gateway/client';

describe.each(BACKENDS)('captures over HTTP on $name', (backend) => {
  let sandbox: FakeSandbox;
  let service: ServiceProcess;
  let destroy: () => Promise<void>;
  let configPath: string;
  let database: DatabaseSettings;
  let n = 0;
  const auth = (prefix = 'auth') => `${prefix}-${backend.name}-${Date.now()}-${n++}`;

  beforeAll(async () => {
    sandbox = await startFakeSandbox();
    const db = await backend.create();
    destroy = db.destroy;
    database = db.database;
    configPath = writeConfig(fakeConfig(db.database));
    service = await startProcess(configPath, fakeEnv(sandbox));
  });

  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    await destroy?.();
  });

  test('a successful capture answers 201 with the record, readable by id', async () => {
    const id = auth();
    const created = await capture(service.url, {
      account: 'fake-us',
      authorisationId: id,
      amount: usd(1500),
      description: 'order 1',
      metadata: { order: '1' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      account: 'fake-us',
      provider: 'fake',
      authorisationId: id,
      status: 'succeeded',
      capturedAmount: usd(1500),
      card: { last4: '4242' },
      metadata: { order: '1' },
    });
    expect(created.body.id).toMatch(/^cap_[0-9A-Z]{26}$/);
    expect(created.headers.get('x-request-id')).toMatch(/^req_/);
    const read = await getCapture(service.url, created.body.id);
    expect(read).toMatchObject({ status: 200, body: created.body });
    const history = await getHistory(service.url, created.body.id);
    expect(history.body.data.map((c) => `${c.to}:${c.source}`)).toEqual(['unknown:api', 'succeeded:api']);
  });

  test('a decline answers 402 with the stable code, the provider code and message, and the record id', async () => {
    const reply = await capture<ApiErrorBody>(service.url, { account: 'fake-us', authorisationId: auth('decline'), amount: usd(100) });
    expect(reply.status).toBe(402);
    expect(reply.body.error).toEqual({
      code: 'provider_declined',
      message: expect.any(String),
      provider: { code: 'D05', message: 'Do not honour' },
    });
    expect(reply.body.requestId).toMatch(/^req_/);
    const read = await getCapture(service.url, defined(reply.body.capture, 'the failed capture').id);
    expect(read.body.status).toBe('failed');
  });

  test('pending and timed-out captures answer 202; a plugin that throws leaves an unknown record', async () => {
    const pending = await capture(service.url, { account: 'fake-us', authorisationId: auth('pending'), amount: usd(100) });
    expect(pending).toMatchObject({ status: 202, body: { status: 'pending' } });
    const timeout = await capture(service.url, { account: 'fake-us', authorisationId: auth('timeout'), amount: usd(100) });
    expect(timeout).toMatchObject({ status: 202, body: { status: 'unknown', error: { code: 'provider_timeout' } } });
    const thrown = await capture(service.url, { account: 'fake-us', authorisationId: auth('throw'), amount: usd(100) });
    expect(thrown).toMatchObject({ status: 202, body: { status: 'unknown', error: { code: 'internal_error' } } });
    expect(JSON.stringify(thrown.body)).not.toContain(sandbox.apiKey);
  });

  test('the same key and body replay the stored answer without a second provider call', async () => {
    const id = auth();
    const body = { account: 'fake-us', authorisationId: id, amount: usd(700), metadata: { a: '1', b: '2' } };
    const first = await capture(service.url, body, `key-${id}`);
    // Same body with its keys in another order is the same request.
    const again = await capture(
      service.url,
      { metadata: { b: '2', a: '1' }, amount: usd(700), authorisationId: id, account: 'fake-us' },
      `key-${id}`,
    );
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(JSON.stringify(again.body)).toBe(JSON.stringify(first.body));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(sandbox.capturesOf(id)).toBe(1);
  });

  test('a failed answer is replayed too, with its status', async () => {
    const id = auth('decline');
    const first = await capture(service.url, { account: 'fake-us', authorisationId: id, amount: usd(1) }, `key-${id}`);
    const again = await capture(service.url, { account: 'fake-us', authorisationId: id, amount: usd(1) }, `key-${id}`);
    expect([first.status, again.status]).toEqual([402, 402]);
    expect(again.body).toEqual(first.body);
    expect(sandbox.capturesOf(id)).toBe(1);
  });

  test('the same key with another body is 422 idempotency_key_reused', async () => {
    const id = auth();
    await capture(service.url, { account: 'fake-us', authorisationId: id, amount: usd(700) }, `key-${id}`);
    const reused = await capture<ApiErrorBody>(service.url, { account: 'fake-us', authorisationId: id, amount: usd(701) }, `key-${id}`);
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatchObject({ code: 'idempotency_key_reused', param: 'Idempotency-Key' });
    expect(sandbox.capturesOf(id)).toBe(1);
  });

  test('keys are scoped to the client: another client may use the same key', async () => {
    const key = `shared-${auth()}`;
    const shop = await capture(service.url, { account: 'fake-us', authorisationId: auth(), amount: usd(5) }, key);
    const other = await capture(service.url, { account: 'fake-eu', authorisationId: auth(), amount: usd(6) }, key, OTHER_KEY);
    expect([shop.status, other.status]).toEqual([201, 201]);
    expect(other.body.id).not.toBe(shop.body.id);
  });

  test('a request while the first with its key runs gets 409, and the provider is called once', async () => {
    const id = auth('slow');
    const body = { account: 'fake-us', authorisationId: id, amount: usd(900) };
    const first = capture(service.url, body, `key-${id}`);
    await new Promise((r) => setTimeout(r, 300));
    const second = await capture<ApiErrorBody>(service.url, body, `key-${id}`);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('idempotency_request_in_progress');
    expect((await first).status).toBe(201);
    expect((await capture(service.url, body, `key-${id}`)).status).toBe(201);
    expect(sandbox.capturesOf(id)).toBe(1);
  });

  test('a second capture of a once-only authorisation is already_captured, unless the first failed', async () => {
    const id = auth();
    expect((await capture(service.url, { account: 'fake-us', authorisationId: id, amount: usd(100) })).status).toBe(201);
    const second = await capture<ApiErrorBody>(service.url, { account: 'fake-us', authorisationId: id, amount: usd(100) });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('already_captured');
    const declined = auth('decline');
    expect((await capture(service.url, { account: 'fake-us', authorisationId: declined, amount: usd(100) })).status).toBe(402);
    expect((await capture(service.url, { account: 'fake-us', authorisationId: declined, amount: usd(100) })).status).toBe(402);
    expect(sandbox.capturesOf(id)).toBe(1);
    expect(sandbox.capturesOf(declined)).toBe(2);
  });

  test('a capture without an Idempotency-Key is refused by default, before anything is stored', async () => {
    const id = auth('nokey');
    const refused = await capture(service.url, { account: 'fake-us', authorisationId: id, amount: usd(100) }, null);
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'idempotency_key_required', param: 'Idempotency-Key' } } });
    expect(sandbox.capturesOf(id)).toBe(0);
    expect((await listCaptures(service.url, `?authorisationId=${id}`)).body.data).toEqual([]);
  });

  test('concurrent identical captures without a key (idempotency.required: false) reach the provider once', async () => {
    // Its own database: an embedded data folder opens in one process only.
    const own = await backend.create();
    const keyless = await startProcess(writeConfig(fakeConfig(own.database, { keyRequired: false })), fakeEnv(sandbox));
    try {
      const id = auth('slow');
      const replies = await Promise.all(
        Array.from({ length: 8 }, () => capture(keyless.url, { account: 'fake-us', authorisationId: id, amount: usd(100) }, null)),
      );
      expect(replies.map((r) => r.status).sort()).toEqual([201, ...Array(7).fill(409)]);
      expect(sandbox.capturesOf(id)).toBe(1);
    } finally {
      await keyless.close();
      await own.destroy();
    }
  });

  test('requests the plugin cannot serve are refused before any provider call', async () => {
    const id = auth();
    const cases = [
      [{ account: 'fake-us', authorisationId: id }, 422, 'unsupported_by_provider', 'amount'],
      [
        { account: 'fake-us', authorisationId: id, amount: { amount: 1, currency: 'GBP' } },
        422,
        'unsupported_by_provider',
        'amount.currency',
      ],
      [
        { account: 'fake-us', authorisationId: id, amount: usd(1), providerOptions: { priority: 'urgent' } },
        400,
        'invalid_request',
        'providerOptions.priority',
      ],
      [{ account: 'fake-us', authorisationId: id, amount: { amount: 1.5, currency: 'USD' } }, 400, 'invalid_request', 'amount.amount'],
      [{ account: 'fake-us', authorisationId: id, amount: usd(1), extra: true }, 400, 'invalid_request', 'extra'],
      [{ account: 'fake-eu', authorisationId: id, amount: usd(1) }, 404, 'not_found', 'account'],
    ] as const;
    for (const [body, status, code, param] of cases) {
      const reply = await capture<ApiErrorBody>(service.url, body);
      expect({ status: reply.status, code: reply.body.error.code, param: reply.body.error.param }).toEqual({ status, code, param });
    }
    expect(sandbox.capturesOf(id)).toBe(0);
  });

  test('malformed JSON, unknown routes and missing keys answer in the one error shape', async () => {
    const bad = await call(service.url, 'POST', '/v1/captures', { rawBody: '{"account":' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' }, requestId: expect.any(String) } });
    expect((await call<ApiErrorBody>(service.url, 'GET', '/v1/nowhere')).body.error.code).toBe('not_found');
    const anonymous = await call(service.url, 'GET', '/v1/captures', { key: null });
    expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect((await call(service.url, 'GET', '/v1/captures', { key: 'wrong_key_0123456789abcdef' })).status).toBe(401);
  });

  test("a client never sees another client's captures", async () => {
    const mine = await capture(service.url, { account: 'fake-us', authorisationId: auth(), amount: usd(3) });
    expect((await getCapture(service.url, mine.body.id, { key: OTHER_KEY })).status).toBe(404);
    const listed = await listCaptures(service.url, '?limit=100', { key: OTHER_KEY });
    expect(listed.body.data.every((c) => c.account === 'fake-eu')).toBe(true);
  });

  test('the list filters by account, status and time, and pages with a cursor', async () => {
    const since = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await capture(service.url, { account: 'fake-us', authorisationId: auth(), amount: usd(10 + i) })).body.id);
    await capture(service.url, { account: 'fake-us', authorisationId: auth('decline'), amount: usd(1) });
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const query = `?account=fake-us&status=succeeded&createdFrom=${encodeURIComponent(since)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await listCaptures(service.url, query);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      pages.push(...page.body.data.map((c) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual([...ids].reverse());
    const bad = await call<ApiErrorBody>(service.url, 'GET', '/v1/captures?status=done');
    expect(bad.body.error).toMatchObject({ code: 'invalid_request', param: 'status' });
  });
  // Last: it stops the service, since the embedded database allows one opener of its data folder.
  test('no secret reaches any stored row', async () => {
    await capture(service.url, { account: 'fake-us', authorisationId: auth('throw'), amount: usd(100) }, `key-${auth()}`);
    await service.close();
    for (const table of ['captures', 'capture_status_changes', 'idempotency_keys', 'webhook_events']) {
      const text = await storedRowsText(database, table);
      expect(text).not.toContain(sandbox.apiKey);
      expect(text).not.toContain('shop_key_');
    }
    expect(await storedRowsText(database, 'captures')).toContain('fake-us');
  });
});
