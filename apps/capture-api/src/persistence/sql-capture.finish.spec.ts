import type { CaptureOutcome, CaptureRecord } from '@capture-gateway/domain';
import { SqlCaptureRepository } from './sql-capture.repository';
import type { SqlDatabase } from './sql.database';
import { backends, record } from './testing/repository-backends';

// What the service stores with a key and sends: computed from the record the repository hands over.
const respond = (r: CaptureRecord) => ({ status: r.status === 'succeeded' ? 201 : r.status === 'failed' ? 402 : 202, body: r });
const declined: CaptureOutcome = {
  status: 'failed',
  error: { code: 'provider_declined', message: 'no' },
  references: { captureId: 'late' },
};
const trail = (changes: Array<{ from?: string; to: string; source: string }>) => changes.map((h) => `${h.from ?? '-'}>${h.to}:${h.source}`);

describe.each(backends)('finishing a capture on $name', ({ open }) => {
  let db: SqlDatabase;
  let drop: () => Promise<void>;
  let repo: SqlCaptureRepository;

  beforeAll(async () => {
    ({ db, drop } = await open());
    repo = new SqlCaptureRepository(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  async function started(authorisationId: string, key?: string, patch: Partial<CaptureRecord> = {}) {
    const r = { ...record(authorisationId), ...patch };
    const idempotency = key ? { key, requestHash: `h-${key}` } : undefined;
    expect(await repo.insertCapture({ record: r, clientId: 'c', singleCapture: true, ...(idempotency ? { idempotency } : {}) })).toEqual({
      inserted: true,
    });
    return r;
  }

  test('the fast path returns exactly what a read returns, and stores the response byte for byte with the key', async () => {
    // jsonb reorders keys (by length, then bytes): the computed record must match a read anyway.
    const metadata = { zeta: 'z', a: '1', é: 'accent', bb: 'two', '10': 'numeric' };
    const r = await started('f1', 'kf1', { metadata, description: '' });
    const outcome: CaptureOutcome = {
      status: 'succeeded',
      references: { other: { zz: 'x', a: 'y' }, captureId: 'p-1', authCode: 'A1' },
      card: { brand: 'visa', last4: '4242' },
    };
    const { record: done, response } = await repo.finishCapture(r, outcome, respond, { clientId: 'c', key: 'kf1' });
    const read = await repo.findById(r.id);
    expect(JSON.stringify(done)).toBe(JSON.stringify(read));
    expect(done).toMatchObject({
      status: 'succeeded',
      capturedAmount: r.requestedAmount,
      providerReferences: { captureId: 'p-1' },
      description: '',
    });
    const replay = await repo.insertCapture({
      record: record('f1-again'),
      clientId: 'c',
      singleCapture: true,
      idempotency: { key: 'kf1', requestHash: 'h-kf1' },
    });
    expect(replay).toMatchObject({ inserted: false, keyTaken: { state: 'completed', responseStatus: 201, captureId: r.id } });
    expect(JSON.stringify('keyTaken' in replay ? replay.keyTaken.responseBody : undefined)).toBe(JSON.stringify(response.body));
    expect(trail(await repo.history(r.id))).toEqual(['->unknown:api', 'unknown>succeeded:api']);
  });

  test('an unknown answer refreshes the record without a status change in the trail', async () => {
    const r = await started('f2');
    const outcome: CaptureOutcome = { status: 'unknown', error: { code: 'provider_timeout', message: 'slow' }, references: {} };
    const { record: done, response } = await repo.finishCapture(r, outcome, respond);
    expect(response.status).toBe(202);
    expect(JSON.stringify(done)).toBe(JSON.stringify(await repo.findById(r.id)));
    expect(done.error).toEqual(outcome.error);
    expect(trail(await repo.history(r.id))).toEqual(['->unknown:api']);
  });

  test("a webhook's final status, arriving before the API's late answer, is not overwritten", async () => {
    const r = await started('f3', 'kf3');
    await repo.applyWebhookEvent({
      account: r.account,
      eventId: 'evt-f3',
      captureId: r.id,
      outcome: { status: 'succeeded', references: { captureId: 'wh' } },
    });
    const { record: done, response } = await repo.finishCapture(r, declined, respond, { clientId: 'c', key: 'kf3' });
    expect(done).toMatchObject({ status: 'succeeded', providerReferences: { captureId: 'wh' } });
    expect(response.status).toBe(201);
    expect(await repo.findById(r.id)).toEqual(done);
    expect(trail(await repo.history(r.id))).toEqual(['->unknown:api', 'unknown>succeeded:webhook']);
    // The key is completed with what the client was told: the stored (webhook) status.
    const replay = await repo.insertCapture({
      record: record('f3-again'),
      clientId: 'c',
      singleCapture: true,
      idempotency: { key: 'kf3', requestHash: 'h-kf3' },
    });
    expect(replay).toMatchObject({
      inserted: false,
      keyTaken: { state: 'completed', responseStatus: 201, responseBody: { status: 'succeeded' } },
    });
  });

  test('a record a webhook moved to pending still takes the API answer, through the careful path', async () => {
    const r = await started('f4');
    await repo.applyWebhookEvent({
      account: r.account,
      eventId: 'evt-f4',
      captureId: r.id,
      outcome: { status: 'pending', references: { authCode: 'A' } },
    });
    const { record: done } = await repo.finishCapture(r, { status: 'succeeded', references: { captureId: 'p-4' } }, respond);
    expect(done).toMatchObject({ status: 'succeeded', providerReferences: { authCode: 'A', captureId: 'p-4' } });
    expect(trail(await repo.history(r.id))).toEqual(['->unknown:api', 'unknown>pending:webhook', 'pending>succeeded:api']);
  });
});
