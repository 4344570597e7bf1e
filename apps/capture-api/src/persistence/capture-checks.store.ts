import type { StoredCapture } from '@capture-gateway/domain';

/** Captures in doubt on one account in one status, and how long the oldest has waited. */
export interface InDoubt {
  account: string;
  status: 'unknown' | 'pending';
  count: number;
  oldestUpdatedAt: string;
}

/**
 * The reconciler's due work: captures whose next look is due, leased to one replica at a time.
 * What a look finds is written through the one status path (`CaptureStore.change`), which lets the lease go.
 */
export interface CaptureCheckStore {
  /** Leases up to `limit` captures whose next look is due at `now`, until `leaseUntil`; replicas never get the same one. */
  claimDue(now: Date, limit: number, leaseUntil: Date): Promise<StoredCapture[]>;
  /** Captures in doubt, by account and status. */
  inDoubt(): Promise<InDoubt[]>;
}
