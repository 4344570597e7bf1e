import type { CaptureOutcome, CaptureRecord, CaptureStatus } from '@capture-gateway/domain';
import type { IdempotencyEntry, KeyCompletion, KeyUse } from './idempotency-keys.store';

/** Who moved a capture's status. */
export type StatusSource = 'api' | 'webhook';

export interface NewCapture {
  record: CaptureRecord;
  clientId: string;
  /** The plugin allows one capture per authorisation: the database refuses a second live one. */
  singleCapture: boolean;
  /** The idempotency key of the request: claimed and linked in the insert's own statement. */
  idempotency?: KeyUse;
}

export type InsertResult =
  | { inserted: true }
  /** A live capture of this once-only authorisation exists; a claimed key stays claimed, unlinked. */
  | { inserted: false; existing: CaptureRecord }
  /** Another request owns the key: nothing was written. */
  | { inserted: false; keyTaken: IdempotencyEntry };

export interface CaptureFilter {
  accounts: readonly string[];
  status?: CaptureStatus;
  createdFrom?: Date;
  createdTo?: Date;
  /** Keyset cursor: the id of the last capture of the previous page (ids sort by time). */
  after?: string;
  limit: number;
}

export interface StatusChange {
  from?: CaptureStatus;
  to: CaptureStatus;
  source: StatusSource;
  at: string;
}

/** The result of moving a capture: its status before, and the record as stored after. */
export interface AppliedOutcome {
  before: CaptureStatus;
  record: CaptureRecord;
}

/** Captures and their status history. */
export interface CaptureStore {
  /** Inserts the capture in `unknown` before the provider is called, claiming its idempotency key in the same statement. */
  insert(input: NewCapture): Promise<InsertResult>;
  /**
   * The provider's first answer, as `settledRecord` made it: stored only if nothing moved the capture
   * since `insert` (a webhook may have), with its history row and, given `key`, the key completed
   * with its response, all at once. False: nothing was written; apply the outcome with `applyOutcome`.
   */
  applyFirstOutcome(settled: CaptureRecord, key?: KeyCompletion): Promise<boolean>;
  /** Moves a capture to an outcome if its status allows the move; a final status never moves. */
  applyOutcome(id: string, outcome: CaptureOutcome, source: StatusSource): Promise<AppliedOutcome>;
  findById(id: string): Promise<CaptureRecord | undefined>;
  list(filter: CaptureFilter): Promise<CaptureRecord[]>;
  history(id: string): Promise<StatusChange[]>;
  /** The latest capture of an authorisation on an account that is not failed. */
  findLive(account: string, authorisationId: string): Promise<CaptureRecord | undefined>;
  /** The capture on an account whose provider reference (`providerReferences.captureId`) is this one. */
  findByProviderCaptureId(account: string, providerCaptureId: string): Promise<CaptureRecord | undefined>;
}

/** A held key (`KeyUse` with `held: true`) was taken over by another request before this one inserted. */
export class IdempotencyKeyLostError extends Error {
  constructor() {
    super('the idempotency key was taken over by another request');
    this.name = 'IdempotencyKeyLostError';
  }
}
