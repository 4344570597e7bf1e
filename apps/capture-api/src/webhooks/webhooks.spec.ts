import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ErrorResponseSchema, WebhookAcknowledgementSchema } from '../docs';
import { MEMORY_WEBHOOK_SECRET, SHOP_KEY, startTestApp, type TestApp } from '../testing/test-app';

const auth = { authorization: `Bearer ${SHOP_KEY}` };

function deliver(app: NestFastifyApplication, event: unknown, signature = MEMORY_WEBHOOK_SECRET) {
  return app.inject({
    method: 'POST',
    url: '/v1/webhooks/mem-us',
    headers: { 'content-type': 'application/json', 'x-memory-signature': signature },
    payload: JSON.stringify(event),
  });
}

describe('provider webhooks, in-process', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t?.close());

  async function pendingCapture(authorisationId: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/captures',
      headers: { ...auth, 'idempotency-key': `key-${authorisationId}` },
      payload: { account: 'mem-us', authorisationId, amount: { amount: 900, currency: 'USD' } },
    });
    expect(res.statusCode).toBe(202);
    return res.json().id as string;
  }
  const history = async (id: string) =>
    (await t.app.inject({ method: 'GET', url: `/v1/captures/${id}/history`, headers: auth })).json().data;
  const record = async (id: string) => (await t.app.inject({ method: 'GET', url: `/v1/captures/${id}`, headers: auth })).json();

  test('a verified event settles a pending capture through the audit trail; a replay is 200 and changes nothing', async () => {
    const id = await pendingCapture('pending-w1');
    const first = await deliver(t.app, { eventId: 'evt_1', authorisationId: 'pending-w1', status: 'succeeded' });
    expect(first.statusCode).toBe(200);
    expect(WebhookAcknowledgementSchema.parse(first.json())).toEqual({ received: true, updates: 1, refused: 0 });
    const settled = await record(id);
    expect(settled).toMatchObject({ status: 'succeeded', providerReferences: { authCode: 'evt_1' } });
    const trail = await history(id);
    expect(trail.map((c: { to: string; source: string }) => `${c.to}:${c.source}`)).toEqual([
      'unknown:api',
      'pending:api',
      'succeeded:webhook',
    ]);

    const replay = await deliver(t.app, { eventId: 'evt_1', authorisationId: 'pending-w1', status: 'succeeded' });
    expect(replay.statusCode).toBe(200);
    expect(await history(id)).toEqual(trail);
    expect(await record(id)).toEqual(settled);
  });

  test('a replayed event id is ignored even when it could still move the capture', async () => {
    const id = await pendingCapture('pending-w2');
    // A delivery for another authorisation reused the id first: the later one with the same id is a duplicate.
    await pendingCapture('pending-w3');
    expect((await deliver(t.app, { eventId: 'evt_shared', authorisationId: 'pending-w3', status: 'succeeded' })).statusCode).toBe(200);
    expect((await deliver(t.app, { eventId: 'evt_shared', authorisationId: 'pending-w2', status: 'failed' })).statusCode).toBe(200);
    expect((await record(id)).status).toBe('pending');
    expect(await history(id)).toHaveLength(2);
  });

  test('a forged delivery is 401 in the error shape, logged with its reason and never its body', async () => {
    const id = await pendingCapture('pending-w4');
    const marker = 'BODY_MARKER_4111111111111111';
    const forged = await deliver(
      t.app,
      { eventId: 'evt_forged', authorisationId: 'pending-w4', status: 'succeeded', note: marker },
      'not-the-secret',
    );
    expect(forged.statusCode).toBe(401);
    expect(ErrorResponseSchema.parse(forged.json()).error.code).toBe('unauthenticated');
    expect((await record(id)).status).toBe('pending');
    const refused = t.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['message'] === 'webhook refused');
    expect(refused).toEqual([
      expect.objectContaining({ reason: 'bad_signature', account: 'mem-us', requestId: forged.headers['x-request-id'] }),
    ]);
    expect(t.logs.join('\n')).not.toContain('BODY_MARKER');
    expect(t.logs.join('\n')).not.toContain('not-the-secret');
  });

  test('webhook outcomes and captures show in /metrics', async () => {
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('captures_total{account="mem-us",provider="memory",outcome="pending"} 4');
    expect(metrics).toContain('capture_webhook_updates_total{account="mem-us",provider="memory",outcome="succeeded"} 2');
    expect(metrics).toMatch(/provider_request_duration_seconds_count\{provider="memory",outcome="pending"\} 4/);
    expect(metrics).toContain('http_requests_total{method="POST",route="/v1/webhooks/:account",status="401"} 1');
  });

  test('/health/ready checks the database, migrations and plugins', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: [
        { name: 'database', ok: true },
        { name: 'migrations', ok: true },
        { name: 'plugins', ok: true },
      ],
    });
  });

  test("a signed event contradicting a final status is not applied, is logged as an error, counted, and shows in the capture's history", async () => {
    const id = await pendingCapture('pending-contra');
    expect((await deliver(t.app, { eventId: 'evt_c1', authorisationId: 'pending-contra', status: 'succeeded' })).statusCode).toBe(200);
    const contra = await deliver(t.app, { eventId: 'evt_c2', authorisationId: 'pending-contra', status: 'failed' });
    expect(contra.statusCode).toBe(200);
    expect(await record(id)).toMatchObject({ status: 'succeeded' });
    expect((await history(id)).at(-1)).toMatchObject({
      kind: 'flag',
      reason: 'contradicted',
      eventId: 'evt_c2',
      status: 'succeeded',
      reportedStatus: 'failed',
    });
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('capture_flags_total{account="mem-us",provider="memory",reason="contradicted",source="webhook"} 1');
    expect(t.logs.some((line) => line.includes('"level":"error"') && line.includes('evt_c2') && line.includes('capture flagged'))).toBe(
      true,
    );
  });

  test('a signed event reporting more than was asked leaves the capture pending, flagged on the attention list until acknowledged', async () => {
    const id = await pendingCapture('pending-over');
    const over = {
      eventId: 'evt_o1',
      authorisationId: 'pending-over',
      status: 'succeeded',
      capturedAmount: { amount: 99_900, currency: 'USD' },
    };
    expect((await deliver(t.app, over)).statusCode).toBe(200);
    expect(await record(id)).toMatchObject({ status: 'pending' });
    expect((await record(id)).capturedAmount).toBeUndefined();
    expect((await history(id)).at(-1)).toMatchObject({ kind: 'flag', reason: 'amount_above_requested', reportedStatus: 'succeeded' });
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('capture_flags_total{account="mem-us",provider="memory",reason="amount_above_requested",source="webhook"} 1');
  });
});
