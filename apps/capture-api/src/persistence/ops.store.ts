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
  /** Nearest-rank percentiles of the first answer's latency, ms, to its histogram bin (`latencyBinSql`); null when nothing answered. */
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
}

export interface HealthQuery {
  accounts: readonly string[];
  /** The window, ms since the epoch: captures created from `from` to `to` (their ids sort by creation: an id range). */
  from: number;
  to: number;
  /** The width of the chart buckets; they start at multiples of it. */
  bucketMs: number;
}

/** The reads of the operations page: what needs an operator, and how providers answer. */
export interface OpsStore {
  /** Captures in doubt past their thresholds, and flagged ones; oldest first. */
  attention(query: AttentionQuery): Promise<AttentionEntry[]>;
  /**
   * Per account and provider, the window's first answers that reached the provider: whole-window
   * groups and per-bucket groups, counted in the database (never the window's rows in memory).
   */
  health(query: HealthQuery): Promise<HealthGroup[]>;
}

export const emptyCounts = (): Record<ProviderOutcome, number> => ({ succeeded: 0, pending: 0, declined: 0, error: 0, timeout: 0 });
