import type { CaptureOutcome, CaptureRecord } from '@capture-gateway/domain';
import { settledRecord } from './capture.rows';
import { newEventId } from '../captures/capture-id';
import { change, record, storageBackends, trail, storageFor } from './testing/storage-backends';

// What the service sends and stores with a key: computed from the settled record before the write.
// The first answer as the service stores it: by the API, with a fresh event id.
const first = (settled: CaptureRecord) => ({
  settled,
  meta: { source: 'api' as const, actor: 'c' },
  nextCheckAt: null,
  eventId: newEventId(),
  deliveries: [],
});
const respond = (r: CaptureRecord) => ({ status: r.status === 'succeeded' ? 201 : r.status === 'failed' ? 402 : 202, body: r });
const declined: CaptureOutcome = {
  status: 'failed',
  error: { code: 'provider_declined', message: 'no' },
  references: { captureId: 'late' },
};

describe.each(storageBackends)("a capture's first outcome on $name", ({ open }) => {
  const storage = storageFor(open);

  async function started(authorisationId: string, key?: string, patch: Partial<CaptureRecord> = {}) {
    const r = { ...record(authorisationId), ...patch };
    const idempotency = key ? { key, requestHash: `h-${key}` } : undefined;
    expect(
      await storage().captures.insert({
        nextCheckAt: null,
        record: r,
        clientId: 'c',
        singleCapture: true,
        ...(idempotency ? { idempotency } : {}),
      }),
    ).toEqual({ inserted: true });
    return r;
  }

  const replayOf = (key: string) =>
    storage().captures.insert({
      nextCheckAt: null,
      record: record(`${key}-again`),
      clientId: 'c',
      singleCapture: true,
      idempotency: { key, requestHash: `h-${key}` },
    });

  test('the settled record is exactly what a read returns, and the key stores the response byte for byte', async () => {
    // jsonb reorders keys (by length, then bytes): the settled record must match a read anyway.
    const metadata = { zeta: 'z', a: '1', é: 'accent', bb: 'two', '10': 'numeric' };
    const r = await started('f1', 'kf1', { metadata, description: '' });
    const outcome: CaptureOutcome = {
      status: 'succeeded',
      references: { other: { zz: 'x', a: 'y' }, captureId: 'p-1', authCode: 'A1' },
      card: { brand: 'visa', last4: '4242' },
    };
    const settled = settledRecord(r, outcome, new Date().toISOString());
    const response = respond(settled);
    expect(await storage().captures.applyFirstOutcome(first(settled), { clientId: 'c', key: 'kf1', response })).toBe(true);
    expect(JSON.stringify(settled)).toBe(JSON.stringify(await storage().captures.findById(r.id)));
    expect(settled).toMatchObject({
      status: 'succeeded',
      capturedAmount: r.requestedAmount,
      providerReferences: { captureId: 'p-1' },
      description: '',
    });
    const replay = await replayOf('kf1');
    expect(replay).toMatchObject({ inserted: false, keyTaken: { state: 'completed', responseStatus: 201, captureId: r.id } });
    expect(JSON.stringify('keyTaken' in replay ? replay.keyTaken.responseBody : undefined)).toBe(JSON.stringify(response.body));
    expect(trail(await storage().captures.history(r.id))).toEqual(['->unknown:api', 'unknown>succeeded:api']);
  });

  test('an unknown answer refreshes the record without a status change in the trail', async () => {
    const r = await started('f2');
    const outcome: CaptureOutcome = { status: 'unknown', error: { code: 'provider_timeout', message: 'slow' }, references: {} };
    const settled = settledRecord(r, outcome, new Date().toISOString());
    expect(await storage().captures.applyFirstOutcome(first(settled))).toBe(true);
    expect(JSON.stringify(settled)).toBe(JSON.stringify(await storage().captures.findById(r.id)));
    expect(settled.error).toEqual(outcome.error);
    expect(trail(await storage().captures.history(r.id))).toEqual(['->unknown:api']);
  });

  test("after a webhook moved the capture, the first outcome writes nothing, not even the key's completion", async () => {
    const r = await started('f3', 'kf3');
    await storage().webhookEvents.apply({
      account: r.account,
      eventId: 'evt-f3',
      captureId: r.id,
      outcome: { status: 'succeeded', references: { captureId: 'wh' } },
      change: change('webhook'),
    });
    const settled = settledRecord(r, declined, new Date().toISOString());
    expect(await storage().captures.applyFirstOutcome(first(settled), { clientId: 'c', key: 'kf3', response: respond(settled) })).toBe(
      false,
    );
    expect(await storage().captures.findById(r.id)).toMatchObject({ status: 'succeeded', providerReferences: { captureId: 'wh' } });
    expect(await replayOf('kf3')).toMatchObject({ inserted: false, keyTaken: { state: 'in_progress' } });
    // The careful path then keeps the final status the webhook set.
    const { before, record: stored } = await storage().captures.applyOutcome(r.id, declined, change('api'));
    expect(before).toBe('succeeded');
    expect(stored).toMatchObject({ status: 'succeeded', providerReferences: { captureId: 'wh' } });
    expect(trail(await storage().captures.history(r.id))).toEqual(['->unknown:api', 'unknown>succeeded:webhook']);
  });

  test('a capture a webhook moved to pending still takes the API answer through applyOutcome, references merged', async () => {
    const r = await started('f4');
    await storage().webhookEvents.apply({
      account: r.account,
      eventId: 'evt-f4',
      captureId: r.id,
      outcome: { status: 'pending', references: { authCode: 'A' } },
      change: change('webhook'),
    });
    const succeeded: CaptureOutcome = { status: 'succeeded', references: { captureId: 'p-4' } };
    expect(await storage().captures.applyFirstOutcome(first(settledRecord(r, succeeded, new Date().toISOString())))).toBe(false);
    const { record: done } = await storage().captures.applyOutcome(r.id, succeeded, change('api'));
    expect(done).toMatchObject({ status: 'succeeded', providerReferences: { authCode: 'A', captureId: 'p-4' } });
    expect(trail(await storage().captures.history(r.id))).toEqual(['->unknown:api', 'unknown>pending:webhook', 'pending>succeeded:api']);
  });
});
