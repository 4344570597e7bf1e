import type { CaptureRecord } from '../capture/capture.schemas';
import type { CaptureStatus } from '../capture/capture-status';
import type { ProviderAnswer } from '../capture/provider-outcome';
import type { ErrorCode } from '../errors/error-codes';
import type { CaptureEvent, StatusSource } from '../events/capture-event.schemas';
import type { CheckAnswer } from './capture-change';
import type { CaptureFlag, StoredCapture } from './stored-capture';

/**
 * One row of a capture's history. `status`: the status moved (`from` null: the insert); `flag`: a
 * report was refused and flagged (`to` is the status it asked for); `acknowledge`: an operator
 * closed the flag; `resend`: the reconciler re-sent the capture (`to` the status its answer gave).
 */
export interface HistoryRow {
  kind: 'status' | 'flag' | 'acknowledge' | 'resend';
  from: CaptureStatus | null;
  to: CaptureStatus;
  source: StatusSource;
  actor?: string;
  reason?: string;
  requestId?: string;
  /** `flag`, `acknowledge`: the flag's reason code (and the provider's event id, raised by a webhook); `resend`: its attempt. */
  detail?: { flag?: CaptureFlag['reason']; eventId?: string; attempt?: number };
  at: string;
}

/** A status check, as the history keeps it. */
export interface CheckRow {
  attempt: number;
  answer: CheckAnswer;
  /** The status the provider reported, when found. */
  status?: CaptureStatus;
  message?: string;
  at: string;
}

/** An event to write, and the subscriptions (ids) it goes to. */
export interface EventWrite {
  event: CaptureEvent;
  subscriptionIds: string[];
}

/** Everything one change writes, in one transaction; the store writes it and decides nothing. */
export interface CaptureWrite {
  /** Written only over this version of the row (the one `settle` read). */
  expectedVersion: number;
  /** The capture after the change: record and lifecycle columns (its `version` is the new one). */
  after: StoredCapture;
  history: HistoryRow[];
  check?: CheckRow;
  event?: EventWrite;
  /** The reconciler's lease on the capture ends with this write. */
  releaseLease: boolean;
  /** The first answer's latency and kind, for provider health. */
  providerAnswer?: ProviderAnswer;
}

/** What a change comes to: a write, nothing (a late or repeated report), or a refusal with a stable code. */
export type Settlement =
  | { kind: 'write'; before: StoredCapture; write: CaptureWrite; /** A flag this change raised. */ raised?: CaptureFlag }
  | { kind: 'unchanged'; before: StoredCapture; why: string }
  | { kind: 'refused'; before: StoredCapture; code: ErrorCode; message: string; param?: string };

/** The record as it stands after a settlement. */
export function recordAfter(settlement: Settlement): CaptureRecord {
  return settlement.kind === 'write' ? settlement.write.after.record : settlement.before.record;
}
