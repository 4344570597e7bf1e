import type { CaptureRecord, FlagReason } from '@capture-gateway/domain';
import type { ProviderOutcome } from '@capture-gateway/domain';

/** When, on one account, a capture in doubt starts to need an operator (ISO instants). */
export interface AttentionThreshold {
  account: string;
  /** An `unknown` capture created before this, or carrying an error, is no longer being sent. */
  unknownBefore: string;
  /** A `pending` capture last changed before this is past the account's pending threshold. */
  pendingBefore: string;
}

/** Why a capture needs an operator: in doubt past its threshold, or flagged (see the domain's `FlagReason`). */
export type AttentionReason = 'unknown' | 'pending_too_long' | FlagReason;

export interface AttentionEntry {
  capture: CaptureRecord;
  reason: AttentionReason;
  /** Since when: created (unknown), last changed (pending), flagged (a flag's reason). */
  since: string;
}

export interface AttentionQuery {
  thresholds: readonly AttentionThreshold[];
  /** Keyset cursor: the capture id of the last entry of the previous page (oldest first). */
  after?: string;
  limit: number;
}

/** Provider answers of one account (and, with `bucket`, one slice of the window). */
export interface HealthGroup {
  account: string;
  provider: string;
  /** The slice's start (ms since the epoch); absent: the whole window. */
  bucket?: number;
  counts: Record<ProviderOutcome, number>;
  /** Nearest-rank percentiles of the first answer's latency, ms; null when nothing answered. */
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
}

export interface HealthQuery {
  accounts: readonly string[];
  /** The lowest capture id of the window: ids sort by creation, so the window is an id range. */
  fromId: string;
  bucketMs: number;
}

/** The reads of the operations page: what needs an operator, and how providers answer. */
export interface OpsStore {
  /** Captures in doubt past their thresholds, and flagged ones; oldest first. */
  attention(query: AttentionQuery): Promise<AttentionEntry[]>;
  /** Per account and provider, the window's first answers: whole-window groups and per-bucket groups. */
  health(query: HealthQuery): Promise<HealthGroup[]>;
}

export const emptyCounts = (): Record<ProviderOutcome, number> => ({ succeeded: 0, pending: 0, declined: 0, error: 0, timeout: 0 });

/** Health groups by account, provider and bucket, each made on its first row: both stores fill them from their rows. */
export class HealthGroups {
  private readonly groups = new Map<string, HealthGroup>();

  of(account: string, provider: string, bucket?: number): HealthGroup {
    const key = `${account}\u0000${provider}\u0000${bucket ?? ''}`;
    let group = this.groups.get(key);
    if (!group) {
      group = {
        account,
        provider,
        ...(bucket === undefined ? {} : { bucket }),
        counts: emptyCounts(),
        latencyMs: { p50: null, p95: null, p99: null },
      };
      this.groups.set(key, group);
    }
    return group;
  }

  all(): HealthGroup[] {
    return [...this.groups.values()];
  }
}
