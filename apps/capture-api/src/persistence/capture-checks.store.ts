import type { CaptureOutcome, CaptureRecord, CaptureStatus } from '@capture-gateway/domain';
import type { AppliedOutcome, StatusChangeInput } from './captures.store';

/** What a status check at the provider answered: found (with its status), never received, or cannot tell. */
export type CheckAnswer = 'found' | 'not_received' | 'cannot_tell';

export interface StatusCheck {
  kind: 'check';
  attempt: number;
  answer: CheckAnswer;
  /** The status the provider reported, when found. */
  status?: CaptureStatus;
  message?: string;
  at: string;
}

/** A capture due for a status check, leased to the caller. */
export interface DueCheck {
  record: CaptureRecord;
  clientId: string;
  /** Checks made before this one. */
  attempts: number;
}

/** A check's result: recorded, and its outcome (if any) applied through the one status path, at once. */
export interface CheckResult {
  answer: CheckAnswer;
  message?: string;
  outcome?: CaptureOutcome;
  change: StatusChangeInput;
}

/** Captures in doubt on one account in one status, and how long the oldest has waited. */
export interface InDoubt {
  account: string;
  status: 'unknown' | 'pending';
  count: number;
  oldestUpdatedAt: string;
}

/** Status checks of captures in doubt: due work leased to one replica at a time, and their results. */
export interface CaptureCheckStore {
  /** Leases up to `limit` captures whose next check is due at `now`, until `leaseUntil`; replicas never get the same one. */
  claimDue(now: Date, limit: number, leaseUntil: Date): Promise<DueCheck[]>;
  /** Records a check, applies its outcome if any through the one status path, reschedules and releases the lease, at once. */
  record(id: string, result: CheckResult): Promise<AppliedOutcome>;
  /** Captures in doubt, by account and status. */
  inDoubt(): Promise<InDoubt[]>;
}
