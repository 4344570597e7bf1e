import type { CaptureOutcome } from '../capture/capture-outcome.schemas';
import type { CaptureRecord } from '../capture/capture.schemas';
import { type CaptureStatus, isFinalStatus, isInDoubt } from '../capture/capture-status';
import type { ProviderAnswer } from '../capture/provider-outcome';
import type { DeliveryTarget } from '../events/event-subscription';
import { formatMoney } from '../money/money';
import { type CaptureChange, SOURCE_OF } from './capture-change';
import { captureEventWrite } from './capture-event';
import { orderedRecord, withOutcome } from './capture-record';
import { type LifecyclePolicy, nextLookAt } from './lifecycle-policy';
import type { CaptureWrite, HistoryRow, Settlement } from './settlement';
import type { CaptureFlag, StoredCapture } from './stored-capture';

/** What `settle` needs besides the capture and the change: the clock, the account's policy, the ids to use. */
export interface SettleContext {
  /** Now, as an ISO instant: the change's time in the record, its history and its event. */
  now: string;
  policy: LifecyclePolicy;
  /** The id of the event, should the change write one. */
  eventId: string;
  /** The account's subscriptions; the event goes to those of the capture's client that take its type. */
  subscriptions: readonly DeliveryTarget[];
  /**
   * Clients nobody polls for events (their config says so): an event none of their subscriptions
   * takes is not written, though the capture's event sequence still counts it.
   */
  unpolled?: ReadonlySet<string>;
}

type Meta = Pick<CaptureChange, 'kind' | 'actor' | 'requestId'> & { eventId?: string };
type Flagging = Pick<CaptureFlag, 'reason' | 'reported' | 'message'>;

/**
 * The rules of a capture's life, in one place: given the capture as stored and a change, what to
 * write (record, history rows, check row, event, next look), or why nothing is written. Pure: the
 * stores lock, read, and write what it returns.
 *
 * - A status in doubt (`unknown`, `pending`) moves to whatever a report says; the same status
 *   refreshes the references and error without a move.
 * - A final status never moves. The same final status again changes nothing; the other final status
 *   is a contradiction, flagged for an operator; a report in doubt after it is late and changes nothing.
 * - A success never applies more than was asked for, or another currency: the capture is flagged and
 *   stays as it is (a first answer records why, as `unknown`). So does an answer its plugin read as
 *   a capture of another amount or currency (`amount_mismatch`, `currency_mismatch`).
 * - The first answer writes the capture's first event whatever it says; afterwards an event is
 *   written exactly when the status moves, numbered one after the last.
 */
export function settle(current: StoredCapture, change: CaptureChange, ctx: SettleContext): Settlement {
  switch (change.kind) {
    case 'answer':
      return report(current, change.outcome, change, ctx, { first: current.eventSequence === 0, provider: change.provider });
    case 'webhook':
      return report(current, change.outcome, change, ctx, { first: false });
    case 'check':
      return check(current, change, ctx);
    case 'resend':
      return resend(current, change, ctx);
    case 'resolve':
      return resolve(current, change, ctx);
    case 'acknowledge':
      return acknowledge(current, change, ctx);
  }
}

function report(
  current: StoredCapture,
  outcome: CaptureOutcome,
  meta: Meta,
  ctx: SettleContext,
  { first, provider, reason }: { first: boolean; provider?: ProviderAnswer; reason?: string },
): Settlement {
  const status = current.record.status;
  const mismatch = amountFlag(current.record, outcome) ?? reportedMismatch(outcome);
  if (mismatch) return flagged(current, mismatch, meta, ctx, first);
  if (isFinalStatus(status)) {
    if (outcome.status === status) return { kind: 'unchanged', before: current, why: `the capture is already ${status}` };
    if (isFinalStatus(outcome.status)) {
      const message = `A ${meta.kind} reported ${outcome.status} for a capture that is ${status}; not applied`;
      return flagged(current, { reason: 'contradicted', reported: outcome.status, message }, meta, ctx, false);
    }
    return { kind: 'unchanged', before: current, why: `a ${outcome.status} report came after the capture became ${status}` };
  }
  const record = withOutcome(current.record, outcome, ctx.now);
  const moves = outcome.status !== status;
  const history = moves ? [historyRow('status', status, outcome.status, meta, ctx, reason ? { reason } : {})] : [];
  const settled = written(current, record, meta, ctx, { history, newEvent: moves || first, reschedule: moves || first, provider });
  // A failed capture cannot have closed its authorisation, whatever the provider adds.
  if (settled.kind === 'write' && outcome.authorisationClosed && outcome.status !== 'failed') settled.write.closesAuthorisation = true;
  return settled;
}

/** The write of a changed record: a new event when asked for, the next look when the status calls for one. */
function written(
  current: StoredCapture,
  record: CaptureRecord,
  meta: Meta,
  ctx: SettleContext,
  parts: { history: HistoryRow[]; newEvent: boolean; reschedule: boolean; provider?: ProviderAnswer; flag?: CaptureFlag | null },
): Settlement {
  const eventSequence = parts.newEvent ? current.eventSequence + 1 : current.eventSequence;
  const flag = parts.flag === undefined ? current.flag : (parts.flag ?? undefined);
  const after: StoredCapture = { ...withoutFlag(current), record, version: current.version + 1, eventSequence, ...(flag ? { flag } : {}) };
  if (parts.reschedule) after.nextCheckAt = nextLookAt(after, 0, ctx.policy, Date.parse(ctx.now));
  const event = parts.newEvent
    ? captureEventWrite(
        record,
        { id: ctx.eventId, sequence: eventSequence, previous: current.record.status, source: SOURCE_OF[meta.kind] },
        current.clientId,
        ctx.subscriptions,
      )
    : undefined;
  // An event no subscription takes, for a client nobody polls, would be read by no one: not written.
  const unread = event !== undefined && event.subscriptionIds.length === 0 && ctx.unpolled?.has(current.clientId) === true;
  const write: CaptureWrite = {
    expectedVersion: current.version,
    after,
    history: parts.history,
    releaseLease: false,
    ...(event && !unread ? { event } : {}),
    ...(parts.provider ? { providerAnswer: parts.provider } : {}),
  };
  return { kind: 'write', before: current, write };
}

/**
 * A report refused and flagged: the status stays, the history says why, an operator sees it. A
 * first answer still writes the capture's first event, as `unknown` with the reason as its error.
 * The same flag raised again changes nothing.
 */
function flagged(current: StoredCapture, flagging: Flagging, meta: Meta, ctx: SettleContext, first: boolean): Settlement {
  const same = current.flag?.reason === flagging.reason && current.flag.reported === flagging.reported;
  if (same && !first) return { kind: 'unchanged', before: current, why: `the capture is already flagged: ${flagging.reason}` };
  const flag: CaptureFlag = { ...flagging, source: SOURCE_OF[meta.kind], at: ctx.now };
  const status = current.record.status;
  const detail = { flag: flag.reason, ...(meta.eventId ? { eventId: meta.eventId } : {}) };
  const history = [historyRow('flag', status, flagging.reported, meta, ctx, { reason: flagging.message, detail })];
  const record = first
    ? orderedRecord({ ...current.record, error: { code: mismatchCode(flag.reason), message: flagging.message }, updatedAt: ctx.now })
    : current.record;
  const settlement = written(current, record, meta, ctx, { history, newEvent: first, reschedule: first, flag });
  return settlement.kind === 'write' ? { ...settlement, raised: flag } : settlement;
}

const mismatchCode = (reason: CaptureFlag['reason']) => (reason === 'currency_differs' ? 'currency_mismatch' : 'amount_mismatch');

// The invariant: a capture never takes more than it asked for, nor another currency.
function amountFlag(record: CaptureRecord, outcome: CaptureOutcome): Flagging | undefined {
  const requested = record.requestedAmount;
  const captured = outcome.status === 'succeeded' ? outcome.capturedAmount : undefined;
  if (!requested || !captured) return undefined;
  if (captured.currency !== requested.currency) {
    const message = `The provider reports a capture in ${captured.currency}, not the ${requested.currency} asked for; not applied`;
    return { reason: 'currency_differs', reported: 'succeeded', message };
  }
  if (captured.amount <= requested.amount) return undefined;
  const message = `The provider reports capturing ${formatMoney(captured)}, more than the ${formatMoney(requested)} asked for; not applied`;
  return { reason: 'amount_above_requested', reported: 'succeeded', message };
}

// The plugin itself read the answer as a capture of another amount or currency than asked (the SDK's reading rules).
function reportedMismatch(outcome: CaptureOutcome): Flagging | undefined {
  if (outcome.status !== 'unknown') return undefined;
  const reason =
    outcome.error.code === 'amount_mismatch'
      ? 'amount_differs'
      : outcome.error.code === 'currency_mismatch'
        ? 'currency_differs'
        : undefined;
  return reason && { reason, reported: 'succeeded', message: `${outcome.error.message}; not applied` };
}

/** A status check: always recorded, rescheduled by where the capture stands after it, the lease let go. */
function check(current: StoredCapture, change: Extract<CaptureChange, { kind: 'check' }>, ctx: SettleContext): Settlement {
  const attempt = current.checkAttempts + 1;
  const found =
    change.answer === 'found' && change.outcome
      ? change.outcome
      : change.answer === 'not_received'
        ? notReceived(change.message)
        : undefined;
  const settled = found ? report(current, found, change, ctx, { first: false }) : undefined;
  return reconcilerWrite(current, settled, ctx, {
    checkAttempts: attempt,
    resends: current.resends,
    check: {
      attempt,
      answer: change.answer,
      ...(change.outcome ? { status: change.outcome.status } : {}),
      ...(change.message ? { message: change.message } : {}),
      at: ctx.now,
    },
  });
}

const notReceived = (message = 'The provider never received this capture'): CaptureOutcome => ({
  status: 'failed',
  error: { code: 'not_received_by_provider', message },
  references: {},
});

/** A re-send to an idempotent provider: recorded with its attempt, its answer applied as any report. */
function resend(current: StoredCapture, change: Extract<CaptureChange, { kind: 'resend' }>, ctx: SettleContext): Settlement {
  const attempt = current.resends + 1;
  const settled = report(current, change.outcome, change, ctx, { first: current.eventSequence === 0 });
  const row = historyRow('resend', current.record.status, change.outcome.status, change, ctx, {
    reason: `Re-sent with the capture's own idempotency key (attempt ${attempt})`,
    detail: { attempt },
  });
  return reconcilerWrite(current, settled, ctx, { checkAttempts: current.checkAttempts, resends: attempt, history: [row] });
}

/** What the reconciler's look writes, whatever the report came to: its record, the next look, the lease let go. */
function reconcilerWrite(
  current: StoredCapture,
  settled: Settlement | undefined,
  ctx: SettleContext,
  look: { checkAttempts: number; resends: number; check?: CaptureWrite['check']; history?: HistoryRow[] },
): Settlement {
  const base: CaptureWrite =
    settled?.kind === 'write'
      ? settled.write
      : { expectedVersion: current.version, after: { ...current, version: current.version + 1 }, history: [], releaseLease: false };
  const after: StoredCapture = { ...base.after, checkAttempts: look.checkAttempts, resends: look.resends };
  after.nextCheckAt = nextLookAt(after, look.checkAttempts + look.resends, ctx.policy, Date.parse(ctx.now));
  const write: CaptureWrite = {
    ...base,
    after,
    history: [...(look.history ?? []), ...base.history],
    ...(look.check ? { check: look.check } : {}),
    releaseLease: true,
  };
  return { kind: 'write', before: current, write, ...(settled?.kind === 'write' && settled.raised ? { raised: settled.raised } : {}) };
}

/** An operator settles a capture in doubt: never a final one, never one whose call may still be running. */
function resolve(current: StoredCapture, change: Extract<CaptureChange, { kind: 'resolve' }>, ctx: SettleContext): Settlement {
  const { id, status, createdAt } = current.record;
  if (!isInDoubt(status)) {
    const message = `Capture ${id} is already ${status}; only unknown or pending captures can be resolved`;
    return { kind: 'refused', before: current, code: 'capture_not_in_doubt', message, param: 'id' };
  }
  // No answer stored yet: its provider call may still be running, and settling it now could contradict what the provider does.
  const callEnds = Date.parse(createdAt) + ctx.policy.callWindowMs;
  if (status === 'unknown' && current.eventSequence === 0 && Date.parse(ctx.now) < callEnds) {
    const message = `Capture ${id} is still being sent to its provider; resolve it after ${new Date(callEnds).toISOString()}`;
    return { kind: 'refused', before: current, code: 'capture_not_in_doubt', message, param: 'id' };
  }
  const references = change.providerReference ? { captureId: change.providerReference } : {};
  const outcome: CaptureOutcome =
    change.status === 'succeeded'
      ? { status: 'succeeded', references }
      : {
          status: 'failed',
          error: { code: 'resolved_by_operator', message: `Resolved as failed by an operator: ${change.reason}` },
          references,
        };
  const settled = report(withoutFlag(current), outcome, change, ctx, { first: false, reason: change.reason });
  // Resolving is an operator's verdict on the capture: it closes any flag with it.
  return { ...settled, before: current };
}

/** An operator closes a flag; the status stays. */
function acknowledge(current: StoredCapture, change: Extract<CaptureChange, { kind: 'acknowledge' }>, ctx: SettleContext): Settlement {
  const { id, status } = current.record;
  if (!current.flag) {
    return { kind: 'refused', before: current, code: 'capture_not_flagged', message: `Capture ${id} has no open flag`, param: 'id' };
  }
  const row = historyRow('acknowledge', status, status, change, ctx, { reason: change.note, detail: { flag: current.flag.reason } });
  return written(current, current.record, change, ctx, { history: [row], newEvent: false, reschedule: false, flag: null });
}

function historyRow(
  kind: HistoryRow['kind'],
  from: CaptureStatus | null,
  to: CaptureStatus,
  meta: Meta,
  ctx: SettleContext,
  extra: Pick<HistoryRow, 'reason' | 'detail'> = {},
): HistoryRow {
  return {
    kind,
    from,
    to,
    source: SOURCE_OF[meta.kind],
    ...(meta.actor ? { actor: meta.actor } : {}),
    ...(extra.reason ? { reason: extra.reason } : {}),
    ...(meta.requestId ? { requestId: meta.requestId } : {}),
    ...(extra.detail ? { detail: extra.detail } : {}),
    at: ctx.now,
  };
}

function withoutFlag(capture: StoredCapture): StoredCapture {
  const { flag: _flag, ...rest } = capture;
  return rest;
}
