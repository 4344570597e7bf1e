import fc from 'fast-check';
import { arbitraryChange, at, brokenInvariants, CHANGES, context, OUTCOMES, POLICY, storedIn, T0 } from '../../testing/lifecycle-fixtures';
import { nextAction, firstLookAt } from './lifecycle-policy';
import { settle } from './settle';
import type { Settlement } from './settlement';
import type { StoredCapture } from './stored-capture';

const written = (settlement: Settlement) => {
  if (settlement.kind !== 'write') throw new Error(`expected a write, got ${settlement.kind}`);
  return settlement;
};

describe('settle: what a change writes', () => {
  test("the first answer: the record, its first event to the client's subscriptions, the provider's health, the row version", () => {
    const fresh = storedIn('fresh');
    const provider = { latencyMs: 120, outcome: 'succeeded' as const };
    const { write } = written(
      settle(fresh, { kind: 'answer', outcome: OUTCOMES.succeeded, provider, actor: 'c', requestId: 'req_1' }, context(2_000)),
    );
    expect(write.after.record).toEqual({
      ...fresh.record,
      status: 'succeeded',
      capturedAmount: { amount: 15_000, currency: 'USD' },
      providerReferences: { captureId: 'prov-1' },
      updatedAt: at(2_000),
    });
    expect(write.event?.event).toEqual({
      id: 'evt_test00000001',
      type: 'capture.succeeded',
      createdAt: at(2_000),
      sequence: 1,
      data: { capture: write.after.record, source: 'api' },
    });
    expect(write.event?.subscriptionIds).toEqual(['c/sub']);
    expect(write.history).toEqual([
      { kind: 'status', from: 'unknown', to: 'succeeded', source: 'api', actor: 'c', requestId: 'req_1', at: at(2_000) },
    ]);
    expect(write).toMatchObject({
      expectedVersion: 1,
      providerAnswer: provider,
      releaseLease: false,
      after: { version: 2, nextCheckAt: null },
    });
  });

  test('an event goes only to subscriptions that take its type; the previous status from the second event on', () => {
    const pending = written(settle(storedIn('fresh'), CHANGES['answer pending'], context(2_000)));
    expect(pending.write.event?.event.type).toBe('capture.pending');
    expect(pending.write.event?.subscriptionIds).toEqual([]);
    const later = written(settle(pending.write.after, CHANGES['webhook declined'], { ...context(3_000), eventId: 'evt_second0000001' }));
    expect(later.write.event?.event).toMatchObject({
      id: 'evt_second0000001',
      sequence: 2,
      data: { previousStatus: 'pending', source: 'webhook' },
    });
  });

  test('a client nobody polls: only the events a subscription takes are written, and the sequence still counts the rest', () => {
    const unpolled = new Set(['c']);
    const pending = written(settle(storedIn('fresh'), CHANGES['answer pending'], { ...context(2_000), unpolled }));
    expect(pending.write.event).toBeUndefined();
    expect(pending.write.after.eventSequence).toBe(1);
    const later = written(settle(pending.write.after, CHANGES['webhook declined'], { ...context(3_000), unpolled }));
    expect(later.write.event?.event).toMatchObject({ sequence: 2, data: { previousStatus: 'pending' } });
    expect(later.write.event?.subscriptionIds).toEqual(['c/sub']);
    // Another client's setting changes nothing for this one.
    const polled = written(settle(storedIn('fresh'), CHANGES['answer pending'], { ...context(2_000), unpolled: new Set(['other']) }));
    expect(polled.write.event?.event.sequence).toBe(1);
  });

  test('references merge, newer keys winning; the card stays unless the report names one; a refresh keeps the next look', () => {
    const pending: StoredCapture = {
      ...storedIn('pending'),
      record: { ...storedIn('pending').record, providerReferences: { captureId: 'prov-1', authCode: 'A1' }, card: { last4: '4242' } },
    };
    const refreshed = written(
      settle(
        pending,
        { kind: 'webhook', eventId: 'w', outcome: { status: 'pending', references: { captureId: 'prov-2' } } },
        context(5_000),
      ),
    );
    expect(refreshed.write.after.record).toMatchObject({
      providerReferences: { captureId: 'prov-2', authCode: 'A1' },
      card: { last4: '4242' },
    });
    expect(refreshed.write.after.nextCheckAt).toBe(pending.nextCheckAt);
    expect(refreshed.write.history).toEqual([]);
    expect(refreshed.write.event).toBeUndefined();
  });

  test('the next look: unknown after the first backoff, pending after its threshold, checks on the backoff, never when final', () => {
    const now = 10_000;
    expect(written(settle(storedIn('fresh'), CHANGES['answer timeout'], context(now))).write.after.nextCheckAt).toBe(at(now + 60_000));
    expect(written(settle(storedIn('fresh'), CHANGES['answer pending'], context(now))).write.after.nextCheckAt).toBe(at(now + 900_000));
    const checked = written(settle({ ...storedIn('pending'), checkAttempts: 1 }, CHANGES['check cannot tell'], context(now)));
    expect(checked.write).toMatchObject({ releaseLease: true, check: { attempt: 2, answer: 'cannot_tell' } });
    expect(checked.write.after.nextCheckAt).toBe(at(now + 3_600_000));
    expect(written(settle(storedIn('fresh'), CHANGES['answer declined'], context(now))).write.after.nextCheckAt).toBeNull();
    const blind = { ...POLICY, statusCheck: false };
    expect(written(settle(storedIn('fresh'), CHANGES['answer timeout'], context(now, blind))).write.after.nextCheckAt).toBeNull();
    expect(firstLookAt(storedIn('fresh'), POLICY, T0 + now)).toBe(at(now + 60_000));
    expect(firstLookAt(storedIn('fresh'), { ...POLICY, callWindowMs: 90_000 }, T0 + now)).toBe(at(now + 90_000));
  });

  test('more than asked on the first answer: flagged, kept unknown with the reason as its error, its first event written', () => {
    const settled = written(settle(storedIn('fresh'), CHANGES['answer more'], context(2_000)));
    expect(settled.raised).toMatchObject({ reason: 'amount_above_requested', reported: 'succeeded', source: 'api' });
    expect(settled.write.after.record).toMatchObject({ status: 'unknown', error: { code: 'amount_mismatch' } });
    expect(settled.write.after.record.capturedAmount).toBeUndefined();
    expect(settled.write.event?.event.type).toBe('capture.unknown');
    expect(settled.write.history).toEqual([
      expect.objectContaining({ kind: 'flag', from: 'unknown', to: 'succeeded', detail: { flag: 'amount_above_requested' } }),
    ]);
    // The same report again changes nothing.
    expect(settle(settled.write.after, CHANGES['webhook more'], context(3_000)).kind).toBe('unchanged');
  });

  test('a contradiction of a final status: flagged with its reason, the status and record unchanged', () => {
    const succeeded = storedIn('succeeded');
    const settled = written(settle(succeeded, CHANGES['webhook declined'], context(5_000)));
    expect(settled.write.after.record).toBe(succeeded.record);
    expect(settled.write.after.flag).toEqual({
      reason: 'contradicted',
      reported: 'failed',
      source: 'webhook',
      message: 'A webhook reported failed for a capture that is succeeded; not applied',
      at: at(5_000),
    });
    expect(settled.write.event).toBeUndefined();
  });

  test('an operator resolves only what is in doubt and no longer being sent; the reason is kept; a flag closes with it', () => {
    expect(settle(storedIn('fresh'), CHANGES['resolve failed'], context(10_000))).toMatchObject({
      kind: 'refused',
      code: 'capture_not_in_doubt',
      message: expect.stringContaining('still being sent'),
    });
    const flaggedPending: StoredCapture = { ...storedIn('pending'), flag: storedIn('flagged').flag };
    const settled = written(settle(flaggedPending, CHANGES['resolve failed'], context(120_000)));
    expect(settled.write.after.flag).toBeUndefined();
    expect(settled.write.after.record.error).toEqual({
      code: 'resolved_by_operator',
      message: 'Resolved as failed by an operator: Provider confirmed: no capture',
    });
    expect(settled.write.history).toEqual([
      expect.objectContaining({ kind: 'status', source: 'operator', actor: 'ops/key-1', reason: 'Provider confirmed: no capture' }),
    ]);
    const withReference = written(
      settle(storedIn('unknown'), { kind: 'resolve', status: 'succeeded', reason: 'Report', providerReference: 'ch_1' }, context(120_000)),
    );
    expect(withReference.write.after.record).toMatchObject({
      capturedAmount: { amount: 15_000 },
      providerReferences: { captureId: 'ch_1' },
    });
  });

  test('acknowledging closes the flag with a history row, the status stays', () => {
    const settled = written(settle(storedIn('flagged'), CHANGES.acknowledge, context(9_000)));
    expect(settled.write.after.flag).toBeUndefined();
    expect(settled.write.after.record.status).toBe('succeeded');
    expect(settled.write.history).toEqual([
      expect.objectContaining({
        kind: 'acknowledge',
        source: 'operator',
        actor: 'ops/key-1',
        reason: 'Refunded by hand',
        detail: { flag: 'contradicted' },
      }),
    ]);
  });

  test('re-sends: while the provider keeps its key and under the bound, then status checks, or nothing', () => {
    const policy = { ...POLICY, resend: { max: 2, windowMs: 86_400_000 } };
    const unknown = storedIn('unknown');
    expect(nextAction(unknown, policy, T0 + 120_000)).toBe('resend');
    const once = written(settle(unknown, CHANGES['resend timeout'], context(120_000, policy)));
    expect(once.write.history).toEqual([expect.objectContaining({ kind: 'resend', source: 'reconciler', detail: { attempt: 1 } })]);
    expect(once.write).toMatchObject({ releaseLease: true, after: { resends: 1, nextCheckAt: at(120_000 + 300_000) } });
    const twice = written(settle(once.write.after, CHANGES['resend timeout'], context(500_000, policy))).write.after;
    expect(nextAction(twice, policy, T0 + 900_000)).toBe('check');
    expect(nextAction(twice, { ...policy, statusCheck: false }, T0 + 900_000)).toBe('none');
    expect(nextAction(unknown, policy, T0 + 86_400_001)).toBe('check');
    expect(nextAction(storedIn('pending'), policy, T0 + 120_000)).toBe('check');
    // The last re-send without a status check leaves nothing to schedule: an operator's.
    const blind = { ...policy, statusCheck: false };
    expect(written(settle(once.write.after, CHANGES['resend timeout'], context(500_000, blind))).write.after.nextCheckAt).toBeNull();
  });

  test('any sequence of changes keeps every invariant', () => {
    fc.assert(
      fc.property(fc.array(arbitraryChange, { maxLength: 12 }), (changes) => {
        let capture = storedIn('fresh');
        let nowMs = 1_000;
        for (const change of changes) {
          nowMs += 61_000;
          const settlement = settle(capture, change, context(nowMs));
          expect(brokenInvariants(settlement)).toEqual([]);
          if (settlement.kind === 'write') capture = settlement.write.after;
        }
      }),
      { numRuns: 2_000 },
    );
  });

  test('the invariant check can fail: a final status that left is caught', () => {
    const settled = written(settle(storedIn('pending'), CHANGES['answer succeeded'], context(5_000)));
    const tampered: Settlement = { ...settled, before: storedIn('failed') };
    expect(brokenInvariants(tampered)).toContain('failed left for succeeded');
  });
});
