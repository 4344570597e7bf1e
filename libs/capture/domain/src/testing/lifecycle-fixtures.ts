import fc from 'fast-check';
import type { CaptureOutcome } from '../lib/capture/capture-outcome.schemas';
import type { CaptureRecord } from '../lib/capture/capture.schemas';
import type { CaptureChange } from '../lib/lifecycle/capture-change';
import type { LifecyclePolicy } from '../lib/lifecycle/lifecycle-policy';
import type { SettleContext } from '../lib/lifecycle/settle';
import type { Settlement } from '../lib/lifecycle/settlement';
import { insertedCapture, type StoredCapture } from '../lib/lifecycle/stored-capture';

// Test-only: captures in every state, every kind of change, and a one-line summary of what `settle`
// made of them, for the state machine's table and property tests (the domain's and the stores').

export const T0 = Date.parse('2026-12-01T10:00:00.000Z');
export const at = (ms: number) => new Date(T0 + ms).toISOString();

export const POLICY: LifecyclePolicy = {
  statusCheck: true,
  backoffMs: [60_000, 300_000, 3_600_000],
  pendingCheckAfterMs: 900_000,
  callWindowMs: 35_000,
};

export const context = (nowMs: number, policy: LifecyclePolicy = POLICY, eventId = 'evt_test00000001'): SettleContext => ({
  now: at(nowMs),
  policy,
  eventId,
  subscriptions: [{ subscriptionId: 'c/sub', clientId: 'c', types: ['capture.succeeded', 'capture.failed'] }],
});

export const requested = { amount: 15_000, currency: 'USD' };

export function captureRecord(id = 'cap_01TESTTESTTEST', authorisationId = 'auth-1'): CaptureRecord {
  return {
    id,
    account: 'acc',
    provider: 'fake',
    authorisationId,
    requestedAmount: requested,
    status: 'unknown',
    providerReferences: {},
    createdAt: at(0),
    updatedAt: at(0),
  };
}

export const OUTCOMES = {
  succeeded: { status: 'succeeded', capturedAmount: requested, references: { captureId: 'prov-1' } },
  less: { status: 'succeeded', capturedAmount: { amount: 10_000, currency: 'USD' }, references: {} },
  more: { status: 'succeeded', capturedAmount: { amount: 99_900, currency: 'USD' }, references: {} },
  otherCurrency: { status: 'succeeded', capturedAmount: { amount: 15_000, currency: 'EUR' }, references: {} },
  pending: { status: 'pending', references: { captureId: 'prov-1' } },
  declined: { status: 'failed', error: { code: 'provider_declined', message: 'no' }, references: {} },
  timeout: { status: 'unknown', error: { code: 'provider_timeout', message: 'no answer' }, references: {} },
  otherAmount: {
    status: 'unknown',
    error: { code: 'amount_mismatch', message: 'Acme reports capturing 1.00 USD, not 150.00' },
    references: {},
  },
} satisfies Record<string, CaptureOutcome>;

export type OutcomeName = keyof typeof OUTCOMES;

/** A capture as it stands in each state the rules tell apart. */
export type StateName = 'fresh' | 'unknown' | 'pending' | 'succeeded' | 'failed' | 'flagged';

export function storedIn(state: StateName): StoredCapture {
  const fresh = insertedCapture(captureRecord(), 'c', at(60_000));
  const moved = (record: Partial<CaptureRecord>, extra: Partial<StoredCapture> = {}): StoredCapture => ({
    ...fresh,
    record: { ...fresh.record, ...record, updatedAt: at(1_000) },
    version: 2,
    eventSequence: 1,
    ...extra,
  });
  switch (state) {
    case 'fresh':
      return fresh;
    case 'unknown':
      return moved({ error: OUTCOMES.timeout.error }, { nextCheckAt: at(61_000) });
    case 'pending':
      return moved({ status: 'pending', providerReferences: { captureId: 'prov-1' } }, { nextCheckAt: at(901_000) });
    case 'succeeded':
      return moved({ status: 'succeeded', capturedAmount: requested, providerReferences: { captureId: 'prov-1' } }, { nextCheckAt: null });
    case 'failed':
      return moved({ status: 'failed', error: OUTCOMES.declined.error }, { nextCheckAt: null });
    case 'flagged':
      return moved(
        { status: 'succeeded', capturedAmount: requested },
        {
          nextCheckAt: null,
          flag: { reason: 'contradicted', reported: 'failed', source: 'webhook', message: 'contradicted', at: at(2_000) },
        },
      );
  }
}

/** Every kind of change, with each report it can carry. */
export const CHANGES = {
  'answer succeeded': { kind: 'answer', outcome: OUTCOMES.succeeded, actor: 'c' },
  'answer less': { kind: 'answer', outcome: OUTCOMES.less, actor: 'c' },
  'answer more': { kind: 'answer', outcome: OUTCOMES.more, actor: 'c' },
  'answer pending': { kind: 'answer', outcome: OUTCOMES.pending, actor: 'c' },
  'answer declined': { kind: 'answer', outcome: OUTCOMES.declined, actor: 'c' },
  'answer timeout': { kind: 'answer', outcome: OUTCOMES.timeout, actor: 'c' },
  'answer other amount': { kind: 'answer', outcome: OUTCOMES.otherAmount, actor: 'c' },
  'webhook succeeded': { kind: 'webhook', outcome: OUTCOMES.succeeded, eventId: 'wh-1', actor: 'fake' },
  'webhook more': { kind: 'webhook', outcome: OUTCOMES.more, eventId: 'wh-2', actor: 'fake' },
  'webhook other currency': { kind: 'webhook', outcome: OUTCOMES.otherCurrency, eventId: 'wh-3', actor: 'fake' },
  'webhook pending': { kind: 'webhook', outcome: OUTCOMES.pending, eventId: 'wh-4', actor: 'fake' },
  'webhook declined': { kind: 'webhook', outcome: OUTCOMES.declined, eventId: 'wh-5', actor: 'fake' },
  'webhook timeout': { kind: 'webhook', outcome: OUTCOMES.timeout, eventId: 'wh-6', actor: 'fake' },
  'check found succeeded': { kind: 'check', answer: 'found', outcome: OUTCOMES.succeeded, actor: 'reconciler' },
  'check found pending': { kind: 'check', answer: 'found', outcome: OUTCOMES.pending, actor: 'reconciler' },
  'check not received': { kind: 'check', answer: 'not_received', message: 'never received', actor: 'reconciler' },
  'check cannot tell': { kind: 'check', answer: 'cannot_tell', message: 'timeout', actor: 'reconciler' },
  'resend succeeded': { kind: 'resend', outcome: OUTCOMES.succeeded, actor: 'reconciler' },
  'resend timeout': { kind: 'resend', outcome: OUTCOMES.timeout, actor: 'reconciler' },
  'resolve succeeded': { kind: 'resolve', status: 'succeeded', reason: 'Seen in the provider report', actor: 'ops/key-1' },
  'resolve failed': { kind: 'resolve', status: 'failed', reason: 'Provider confirmed: no capture', actor: 'ops/key-1' },
  acknowledge: { kind: 'acknowledge', note: 'Refunded by hand', actor: 'ops/key-1' },
} satisfies Record<string, CaptureChange>;

export type ChangeName = keyof typeof CHANGES;

/**
 * A settlement in one line: `-` (unchanged), `refused:<code>`, or the status after it and what the
 * write holds: `move` (a status history row), `event#<n>`, `flag:<reason>`, `unflag`, `check#<n>`,
 * `resend#<n>`, `ack`, `next` (a next look is set).
 */
export function summary(settlement: Settlement): string {
  if (settlement.kind === 'unchanged') return '-';
  if (settlement.kind === 'refused') return `refused:${settlement.code}`;
  const { write, before } = settlement;
  const parts: string[] = [write.after.record.status];
  for (const row of write.history) {
    if (row.kind === 'status') parts.push('move');
    if (row.kind === 'flag') parts.push(`flag:${row.detail?.flag}`);
    if (row.kind === 'resend') parts.push(`resend#${row.detail?.attempt}`);
    if (row.kind === 'acknowledge') parts.push('ack');
  }
  if (before.flag && !write.after.flag && !write.history.some((r) => r.kind === 'acknowledge')) parts.push('unflag');
  if (write.check) parts.push(`check#${write.check.attempt}`);
  if (write.event) parts.push(`event#${write.event.event.sequence}`);
  if (write.after.nextCheckAt) parts.push('next');
  return parts.join(' ');
}

/** Any change, for property tests: reports of every status and amount, checks, re-sends, resolutions, acknowledgements. */
export const arbitraryChange: fc.Arbitrary<CaptureChange> = fc.constantFrom(...(Object.values(CHANGES) as CaptureChange[]));

/**
 * The invariants every settlement keeps, as the list of those it breaks (empty: none): a final
 * status never leaves (a flag is the only mark a report leaves on it); events are numbered one after
 * the last, one per write at most; a status history row is written exactly when the status moves;
 * the captured amount never exceeds the request nor changes currency; a write bumps the version by one.
 */
export function brokenInvariants(settlement: Settlement): string[] {
  if (settlement.kind !== 'write') return [];
  const { before, write } = settlement;
  const from = before.record;
  const to = write.after.record;
  const broken: string[] = [];
  if ((from.status === 'succeeded' || from.status === 'failed') && to.status !== from.status)
    broken.push(`${from.status} left for ${to.status}`);
  const moves = write.history.filter((row) => row.kind === 'status').length;
  if (moves !== (to.status !== from.status ? 1 : 0)) broken.push(`${moves} status rows for ${from.status} -> ${to.status}`);
  const sequence = write.event?.event.sequence;
  if (sequence !== undefined && sequence !== before.eventSequence + 1) broken.push(`event #${sequence} after #${before.eventSequence}`);
  if (write.after.eventSequence !== (sequence ?? before.eventSequence)) broken.push('event sequence out of step with the events');
  const captured = to.capturedAmount;
  const asked = to.requestedAmount;
  if (captured && asked && (captured.currency !== asked.currency || captured.amount > asked.amount)) {
    broken.push(`captured ${captured.amount} ${captured.currency} of ${asked.amount} ${asked.currency}`);
  }
  if (write.expectedVersion !== before.version || write.after.version !== before.version + 1) broken.push('version not bumped by one');
  if (write.after.flag && write.after.flag !== before.flag && !write.history.some((row) => row.kind === 'flag')) {
    broken.push('a flag raised without its history row');
  }
  return broken;
}
