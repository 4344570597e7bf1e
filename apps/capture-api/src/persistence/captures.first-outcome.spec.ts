import type { CaptureOutcome, CaptureRecord } from '@capture-gateway/domain';
import { answer, firstAnswer, record, recordIn, storageBackends, storageFor, trail, webhookIn } from './testing/storage-backends';

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

  test('the settled record is what a read returns, and the key stores the response byte for byte', async () => {
    // jsonb reorders keys (by length, then bytes): the settled record must equal a read anyway.
    const metadata = { zeta: 'z', a: '1', é: 'accent', bb: 'two', '10': 'numeric' };
    const r = await started('f1', 'kf1', { metadata, description: '' });
    const outcome: CaptureOutcome = {
      status: 'succeeded',
      references: { other: { zz: 'x', a: 'y' }, captureId: 'p-1', authCode: 'A1' },
      card: { brand: 'visa', last4: '4242' },
    };
    const { record: settled, response, written } = firstAnswer(storage(), r, outcome, { key: { clientId: 'c', key: 'kf1' } });
    expect(await written).toBe(true);
    expect(await storage().captures.findById(r.id)).toEqual(settled);
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
    const { record: settled, written } = firstAnswer(storage(), r, outcome);
    expect(await written).toBe(true);
    expect(await storage().captures.findById(r.id)).toEqual(settled);
    expect(settled.error).toEqual(outcome.error);
    expect(trail(await storage().captures.history(r.id))).toEqual(['->unknown:api']);
  });

  test("after a webhook moved the capture, the first answer writes nothing, not even the key's completion", async () => {
    const r = await started('f3', 'kf3');
    await webhookIn(storage(), r.account, r.id, 'evt-f3', { status: 'succeeded', references: { captureId: 'wh' } });
    expect(await firstAnswer(storage(), r, declined, { key: { clientId: 'c', key: 'kf3' } }).written).toBe(false);
    expect(await storage().captures.findById(r.id)).toMatchObject({ status: 'succeeded', providerReferences: { captureId: 'wh' } });
    expect(await replayOf('kf3')).toMatchObject({ inserted: false, keyTaken: { state: 'in_progress' } });
    // Settled again under the row lock, the answer contradicts the final status the webhook set: a flag, no move.
    const stored = await recordIn(storage(), r.id, answer(declined));
    expect(stored).toMatchObject({ status: 'succeeded', providerReferences: { captureId: 'wh' } });
    expect(trail(await storage().captures.history(r.id))).toEqual(['->unknown:api', 'unknown>succeeded:webhook']);
    expect((await storage().captures.history(r.id)).at(-1)).toMatchObject({ kind: 'flag', reason: 'contradicted', source: 'api' });
  });

  test('a capture a webhook moved to pending still takes the API answer under the lock, references merged', async () => {
    const r = await started('f4');
    await webhookIn(storage(), r.account, r.id, 'evt-f4', { status: 'pending', references: { authCode: 'A' } });
    const succeeded: CaptureOutcome = { status: 'succeeded', references: { captureId: 'p-4' } };
    expect(await firstAnswer(storage(), r, succeeded).written).toBe(false);
    const done = await recordIn(storage(), r.id, answer(succeeded));
    expect(done).toMatchObject({ status: 'succeeded', providerReferences: { authCode: 'A', captureId: 'p-4' } });
    expect(trail(await storage().captures.history(r.id))).toEqual(['->unknown:api', 'unknown>pending:webhook', 'pending>succeeded:api']);
  });
});
