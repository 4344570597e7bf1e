import {
  type CaptureEvent,
  type CaptureRecord,
  insertedCapture,
  type LifecyclePolicy,
  newEventId,
  recordAfter,
  settle,
  type Settlement,
} from '@capture-gateway/domain';
import { arbitraryChange, brokenInvariants } from '@capture-gateway/domain/testing';
import fc from 'fast-check';
import type { Storage } from './storage';
import {
  answer,
  contextFor,
  declined,
  firstAnswer,
  record,
  settleIn,
  storageBackends,
  storageFor,
  trail,
  webhookIn,
} from './testing/storage-backends';
import { defined } from '../testing/defined';

const payloads = async (storage: () => Storage, clientId: string, captureId: string) =>
  (await storage().events.list({ clientId, captureId, limit: 100 })).map((e) => JSON.parse(e.payload) as CaptureEvent);

const CHECKING: LifecyclePolicy = { statusCheck: true, backoffMs: [3_600_000], pendingCheckAfterMs: 900_000, callWindowMs: 0 };

describe.each(storageBackends)('the capture lifecycle on $name', ({ open }) => {
  const storage = storageFor(open);

  async function inserted(
    authorisationId: string,
    clientId = 'c',
    account = 'acc',
    nextCheckAt: string | null = null,
  ): Promise<CaptureRecord> {
    const r = record(authorisationId, account);
    expect(await storage().captures.insert({ record: r, clientId, singleCapture: true, nextCheckAt })).toEqual({ inserted: true });
    return r;
  }

  test('every status change writes its event in the same change: first answer, then each move, in sequence', async () => {
    const r = await inserted('ev1');
    const eventId = newEventId();
    const first = firstAnswer(storage(), r, { status: 'pending', references: { captureId: 'p-ev1' } }, { extra: { eventId } });
    expect(await first.written).toBe(true);
    await webhookIn(storage(), r.account, r.id, 'wh-ev1', { status: 'succeeded', references: {} });
    // A late answer that changes nothing writes no event.
    await settleIn(storage(), r.id, answer({ status: 'pending', references: {} }));
    const events = await payloads(storage, 'c', r.id);
    expect(events.map((e) => [e.type, e.sequence, e.data.previousStatus ?? '-', e.data.source])).toEqual([
      ['capture.pending', 1, '-', 'api'],
      ['capture.succeeded', 2, 'pending', 'webhook'],
    ]);
    expect(events[0]?.id).toBe(eventId);
    expect(events[0]?.data.capture).toEqual(first.record);
    expect(events[1]?.data.capture).toEqual(defined(await storage().captures.findById(r.id), 'the stored capture'));
    // Only the capture's client sees them.
    expect(await storage().events.list({ clientId: 'other', captureId: r.id, limit: 10 })).toEqual([]);
    expect((await storage().events.find('c', eventId))?.type).toBe('capture.pending');
    expect(await storage().events.find('other', eventId)).toBeUndefined();
  });

  test('a change that fails rolls back with its event: nothing half-written', async () => {
    const r = await inserted('ev2');
    const eventId = newEventId();
    await settleIn(storage(), r.id, answer({ status: 'pending', references: {} }), { eventId });
    // The same event id again: the event's insert fails, so the status move must not stay either.
    await expect(settleIn(storage(), r.id, answer({ status: 'succeeded', references: {} }), { eventId })).rejects.toThrow();
    expect((await storage().captures.findById(r.id))?.status).toBe('pending');
    expect(trail(await storage().captures.history(r.id))).toEqual(['->unknown:api', 'unknown>pending:api']);
  });

  test('a write over a version that moved writes nothing at all', async () => {
    const r = await inserted('ev3');
    const stale = settle(insertedCapture(r, 'c', null), answer({ status: 'succeeded', references: {} }), contextFor());
    await settleIn(storage(), r.id, answer({ status: 'pending', references: {} }));
    expect(stale.kind === 'write' && (await storage().captures.writeIfUnchanged(stale.write))).toBe(false);
    expect(await storage().captures.findById(r.id)).toMatchObject({ status: 'pending' });
    expect(await payloads(storage, 'c', r.id)).toHaveLength(1);
  });

  test('the history keeps who, why and which request; checks sit between the changes', async () => {
    const r = await inserted('h1');
    await settleIn(storage(), r.id, {
      kind: 'resolve',
      status: 'failed',
      reason: 'Provider confirmed by phone: no capture',
      actor: 'ops-team/key-1',
      requestId: 'req_1',
    });
    expect((await storage().captures.history(r.id)).at(-1)).toMatchObject({
      kind: 'status',
      from: 'unknown',
      to: 'failed',
      source: 'operator',
      actor: 'ops-team/key-1',
      reason: 'Provider confirmed by phone: no capture',
      requestId: 'req_1',
    });
  });

  test('flags, acknowledgements and re-sends are history rows with their detail', async () => {
    const r = await inserted('h2');
    await settleIn(storage(), r.id, answer({ status: 'succeeded', references: {} }));
    await webhookIn(storage(), r.account, r.id, 'wh-h2', declined);
    await settleIn(storage(), r.id, { kind: 'acknowledge', note: 'Refunded by hand', actor: 'ops/key-2', requestId: 'req_2' });
    await settleIn(storage(), r.id, { kind: 'resend', outcome: { status: 'succeeded', references: {} }, actor: 'reconciler' });
    expect((await storage().captures.history(r.id)).slice(2)).toEqual([
      expect.objectContaining({ kind: 'flag', reason: 'contradicted', status: 'succeeded', reportedStatus: 'failed', eventId: 'wh-h2' }),
      expect.objectContaining({
        kind: 'acknowledge',
        status: 'succeeded',
        flag: 'contradicted',
        note: 'Refunded by hand',
        actor: 'ops/key-2',
      }),
      expect.objectContaining({ kind: 'resend', attempt: 1, answerStatus: 'succeeded', source: 'reconciler' }),
    ]);
  });

  test('due looks are leased to one caller at a time; a check reschedules, applies what it found and frees the lease', async () => {
    const past = new Date(Date.now() - 1_000).toISOString();
    const r = await inserted('chk1', 'c', 'checked', past);
    const now = new Date();
    const lease = new Date(now.getTime() + 30_000);
    const [first, second] = await Promise.all([storage().checks.claimDue(now, 10, lease), storage().checks.claimDue(now, 10, lease)]);
    const claimed = [...defined(first, 'a first claim'), ...defined(second, 'a second claim')].filter((d) => d.record.id === r.id);
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatchObject({ clientId: 'c', checkAttempts: 0, record: { status: 'unknown' } });
    // Leased: not due again until the lease runs out.
    expect((await storage().checks.claimDue(now, 10, lease)).some((d) => d.record.id === r.id)).toBe(false);
    expect((await storage().checks.claimDue(new Date(lease.getTime() + 1), 10, lease)).some((d) => d.record.id === r.id)).toBe(true);

    // Cannot tell: recorded, rescheduled an hour on (the policy's backoff), still unknown, the lease let go.
    await settleIn(
      storage(),
      r.id,
      { kind: 'check', answer: 'cannot_tell', message: 'timeout', actor: 'reconciler' },
      { policy: CHECKING },
    );
    expect((await storage().checks.claimDue(new Date(), 10, lease)).some((d) => d.record.id === r.id)).toBe(false);
    const due = await storage().checks.claimDue(new Date(Date.now() + 3_600_001), 10, lease);
    expect(due.find((d) => d.record.id === r.id)?.checkAttempts).toBe(1);

    // Found: applied through the status path, and never looked at again once final.
    const applied = await settleIn(
      storage(),
      r.id,
      { kind: 'check', answer: 'found', outcome: { status: 'succeeded', references: { captureId: 'prov-chk1' } }, actor: 'reconciler' },
      { policy: CHECKING },
    );
    expect(recordAfter(applied)).toMatchObject({ status: 'succeeded', providerReferences: { captureId: 'prov-chk1' } });
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
    await settleIn(storage(), b.id, answer({ status: 'pending', references: { captureId: 'prov-doubt-b' } }));
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

  test('random sequences of changes through the store keep every invariant and end where the pure machine ends', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryChange, { minLength: 1, maxLength: 8 }), async (changes) => {
        const r = await inserted(`prop-${run++}`, 'c', 'prop');
        let pure: Settlement | undefined;
        let expected = { record: r, history: 1, events: 0 };
        for (const change of changes) {
          const eventId = newEventId();
          const ctx = contextFor({ eventId, subscriptions: [], policy: CHECKING });
          let seen: Settlement | undefined;
          const settlement = await storage().captures.change(r.id, (current) => (seen = settle(current, change, ctx)));
          pure = seen;
          expect(settlement).toBe(seen);
          expect(brokenInvariants(settlement)).toEqual([]);
          if (settlement.kind === 'write') {
            expected = {
              record: settlement.write.after.record,
              history: expected.history + settlement.write.history.length + (settlement.write.check ? 1 : 0),
              events: expected.events + (settlement.write.event ? 1 : 0),
            };
          }
        }
        expect(pure).toBeDefined();
        expect(await storage().captures.findById(r.id)).toEqual(expected.record);
        expect(await storage().captures.history(r.id)).toHaveLength(expected.history);
        const events = await payloads(storage, 'c', r.id);
        expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
        expect(events).toHaveLength(expected.events);
      }),
      { numRuns: 40 },
    );
  });
});
