import { type CaptureEvent, type CaptureRecord } from '@capture-gateway/domain';
import { newEventId } from '../captures/capture-id';
import { settledRecord } from './capture.rows';
import type { Storage } from './storage';
import { change, record, storageBackends, trail, storageFor } from './testing/storage-backends';

const inAMinute = () => new Date(Date.now() + 60_000).toISOString();
const payloads = async (storage: () => Storage, clientId: string, captureId: string) =>
  (await storage().events.list({ clientId, captureId, limit: 100 })).map((e) => JSON.parse(e.payload) as CaptureEvent);

describe.each(storageBackends)('the capture lifecycle on $name', ({ open }) => {
  const storage = storageFor(open);

  async function inserted(authorisationId: string, clientId = 'c', account = 'acc'): Promise<CaptureRecord> {
    const r = record(authorisationId, account);
    expect(await storage().captures.insert({ record: r, clientId, singleCapture: true, nextCheckAt: null })).toEqual({ inserted: true });
    return r;
  }

  test('every status change writes its event in the same change: first answer, then each move, in sequence', async () => {
    const r = await inserted('ev1');
    const pending = settledRecord(r, { status: 'pending', references: { captureId: 'p-ev1' } }, new Date().toISOString());
    const eventId = newEventId();
    await storage().captures.applyFirstOutcome({
      settled: pending,
      meta: { source: 'api', actor: 'c' },
      nextCheckAt: inAMinute(),
      eventId,
      deliveries: [],
    });
    await storage().webhookEvents.apply({
      account: r.account,
      eventId: 'wh-ev1',
      captureId: r.id,
      outcome: { status: 'succeeded', references: {} },
      change: change('webhook', { actor: 'fake' }),
    });
    // A late answer that changes nothing writes no event.
    await storage().captures.applyOutcome(
      r.id,
      { status: 'failed', error: { code: 'provider_declined', message: 'no' }, references: {} },
      change('api'),
    );
    const events = await payloads(storage, 'c', r.id);
    expect(events.map((e) => [e.type, e.sequence, e.data.previousStatus ?? '-', e.data.source])).toEqual([
      ['capture.pending', 1, '-', 'api'],
      ['capture.succeeded', 2, 'pending', 'webhook'],
    ]);
    expect(events[0]!.id).toBe(eventId);
    expect(events[0]!.data.capture).toEqual(pending);
    expect(events[1]!.data.capture).toEqual(await storage().captures.findById(r.id));
    // Only the capture's client sees them.
    expect(await storage().events.list({ clientId: 'other', captureId: r.id, limit: 10 })).toEqual([]);
    expect((await storage().events.find('c', eventId))?.type).toBe('capture.pending');
    expect(await storage().events.find('other', eventId)).toBeUndefined();
  });

  test('a change that fails rolls back with its event: nothing half-written', async () => {
    const r = await inserted('ev2');
    const taken = change('operator', { actor: 'ops' });
    await storage().captures.applyOutcome(r.id, { status: 'pending', references: {} }, taken);
    // The same event id again: the event's insert fails, so the status move must not stay either.
    await expect(storage().captures.applyOutcome(r.id, { status: 'succeeded', references: {} }, { ...taken })).rejects.toThrow();
    expect((await storage().captures.findById(r.id))?.status).toBe('pending');
    expect(trail(await storage().captures.history(r.id))).toEqual(['->unknown:api', 'unknown>pending:operator']);
  });

  test('the history keeps who, why and which request; checks sit between the changes', async () => {
    const r = await inserted('h1');
    await storage().captures.applyOutcome(
      r.id,
      { status: 'failed', error: { code: 'provider_declined', message: 'resolved' }, references: {} },
      change('operator', { actor: 'ops-team', reason: 'Provider confirmed by phone: no capture', requestId: 'req_1' }),
    );
    expect((await storage().captures.history(r.id)).at(-1)).toMatchObject({
      kind: 'status',
      from: 'unknown',
      to: 'failed',
      source: 'operator',
      actor: 'ops-team',
      reason: 'Provider confirmed by phone: no capture',
      requestId: 'req_1',
    });
  });

  test('due checks are leased to one caller at a time; a result reschedules, applies its outcome and frees the lease', async () => {
    const r = record('chk1', 'checked');
    const past = new Date(Date.now() - 1_000).toISOString();
    await storage().captures.insert({ record: r, clientId: 'c', singleCapture: true, nextCheckAt: past });
    const now = new Date();
    const lease = new Date(now.getTime() + 30_000);
    const [first, second] = await Promise.all([storage().checks.claimDue(now, 10, lease), storage().checks.claimDue(now, 10, lease)]);
    const claimed = [...first!, ...second!].filter((d) => d.record.id === r.id);
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatchObject({ clientId: 'c', attempts: 0, record: { status: 'unknown' } });
    // Leased: not due again until the lease runs out.
    expect((await storage().checks.claimDue(now, 10, lease)).some((d) => d.record.id === r.id)).toBe(false);
    expect((await storage().checks.claimDue(new Date(lease.getTime() + 1), 10, lease)).some((d) => d.record.id === r.id)).toBe(true);

    // Cannot tell: recorded, rescheduled, still unknown.
    const later = new Date(Date.now() + 3_600_000).toISOString();
    await storage().checks.record(r.id, {
      answer: 'cannot_tell',
      message: 'timeout',
      change: change('reconciler', { schedule: { unknown: later, pending: later } }),
    });
    expect((await storage().checks.claimDue(new Date(), 10, lease)).some((d) => d.record.id === r.id)).toBe(false);
    const due = await storage().checks.claimDue(new Date(Date.now() + 3_600_001), 10, lease);
    expect(due.find((d) => d.record.id === r.id)?.attempts).toBe(1);

    // Found: applied through the status path, and never checked again once final.
    const applied = await storage().checks.record(r.id, {
      answer: 'found',
      outcome: { status: 'succeeded', references: { captureId: 'prov-chk1' } },
      change: change('reconciler', { actor: 'reconciler', schedule: { unknown: past, pending: past } }),
    });
    expect(applied).toMatchObject({ before: 'unknown', record: { status: 'succeeded', providerReferences: { captureId: 'prov-chk1' } } });
    expect((await storage().checks.claimDue(new Date(Date.now() + 86_400_000), 10, lease)).some((d) => d.record.id === r.id)).toBe(false);
    const history = await storage().captures.history(r.id);
    expect(
      history.map((h) => (h.kind === 'check' ? `check#${h.attempt}:${h.answer}` : h.kind === 'status' ? `${h.to}:${h.source}` : h.kind)),
    ).toEqual(['unknown:api', 'check#1:cannot_tell', 'check#2:found', 'succeeded:reconciler']);
    expect((await payloads(storage, 'c', r.id)).map((e) => e.type)).toEqual(['capture.succeeded']);
  });

  test('captures in doubt are counted by account and status with the oldest; list filters find them', async () => {
    const a = record('doubt-a', 'doubtful');
    const b = record('doubt-b', 'doubtful');
    for (const r of [a, b]) await storage().captures.insert({ record: r, clientId: 'c', singleCapture: false, nextCheckAt: null });
    await storage().captures.applyOutcome(b.id, { status: 'pending', references: { captureId: 'prov-doubt-b' } }, change('api'));
    const summary = (await storage().checks.inDoubt()).filter((d) => d.account === 'doubtful');
    expect(summary.sort((x, y) => x.status.localeCompare(y.status))).toEqual([
      { account: 'doubtful', status: 'pending', count: 1, oldestUpdatedAt: expect.any(String) },
      { account: 'doubtful', status: 'unknown', count: 1, oldestUpdatedAt: a.updatedAt },
    ]);
    const ids = async (filter: object) =>
      (await storage().captures.list({ accounts: ['doubtful'], limit: 10, ...filter })).map((r) => r.id);
    expect(await ids({ authorisationId: 'doubt-a' })).toEqual([a.id]);
    expect(await ids({ providerCaptureId: 'prov-doubt-b' })).toEqual([b.id]);
    expect(await ids({ updatedBefore: new Date(Date.now() + 1_000), status: 'unknown' })).toEqual([a.id]);
    expect(await ids({ updatedBefore: new Date(Date.parse(a.updatedAt) - 1) })).toEqual([]);
  });
});
