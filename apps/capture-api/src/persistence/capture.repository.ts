import type { CaptureOutcome, CaptureRecord, CaptureStatus } from '@capture-gateway/domain';

export type StatusSource = 'api' | 'webhook';

export interface NewCapture {
  record: CaptureRecord;
  clientId: string;
  /** The plugin allows one capture per authorisation: the database refuses a second live one. */
  singleCapture: boolean;
  /** The idempotency key of the request: claimed and linked in the insert's own statement. */
  idempotency?: KeyUse;
}

/** Claim the key in the insert's statement, or (after taking over a stale key) link a key already held. */
export type KeyUse = { key: string; requestHash: string; held?: false } | { key: string; held: true };

export type InsertResult =
  | { inserted: true }
  /** A live capture of this once-only authorisation exists; a claimed key stays claimed, unlinked. */
  | { inserted: false; existing: CaptureRecord }
  /** Another request owns the key: nothing was written. */
  | { inserted: false; keyTaken: IdempotencyEntry };

/** A response as stored with an idempotency key, replayed byte for byte. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface KeyCompletion {
  clientId: string;
  key: string;
}

export interface IdempotencyEntry {
  requestHash: string;
  state: 'in_progress' | 'completed';
  responseStatus?: number;
  responseBody?: unknown;
  captureId?: string;
  createdAt: Date;
}

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

export interface WebhookEvent {
  account: string;
  eventId: string;
  captureId: string;
  outcome: CaptureOutcome;
}

export type WebhookEventResult = { duplicate: true } | { duplicate: false; before: CaptureStatus; record: CaptureRecord };

/** The one storage port of the service; both backends implement it with the same SQL. */
export interface CaptureRepository {
  /** Inserts the capture in `unknown` before the provider is called, claiming its idempotency key in the same statement. */
  insertCapture(input: NewCapture): Promise<InsertResult>;
  /**
   * Stores the provider's answer to a capture `inserted` as given to insertCapture, and completes `key`
   * with `respond(record)` in the same statement when nothing else moved the record meanwhile; else
   * applies it as applyOutcome does, then completes the key. Returns the record and response stored.
   */
  finishCapture<R extends StoredResponse>(
    inserted: CaptureRecord,
    outcome: CaptureOutcome,
    respond: (record: CaptureRecord) => R,
    key?: KeyCompletion,
  ): Promise<{ record: CaptureRecord; response: R }>;
  /** Moves a capture to an outcome if its status allows the move; returns the record as stored. */
  applyOutcome(id: string, outcome: CaptureOutcome, source: StatusSource): Promise<CaptureRecord>;
  findById(id: string): Promise<CaptureRecord | undefined>;
  list(filter: CaptureFilter): Promise<CaptureRecord[]>;
  history(id: string): Promise<StatusChange[]>;
  /** The latest capture of an authorisation on an account that is not failed, for webhooks. */
  findByAuthorisation(account: string, authorisationId: string): Promise<CaptureRecord | undefined>;

  /** Takes over a key whose owner died before creating a capture (so no provider call happened). */
  takeOverStaleKey(clientId: string, key: string, olderThan: Date): Promise<boolean>;
  completeIdempotencyKey(clientId: string, key: string, status: number, body: unknown): Promise<void>;
  releaseIdempotencyKey(clientId: string, key: string): Promise<void>;

  /**
   * Records the event and applies its outcome in one transaction. An (account, event id) seen before
   * is `duplicate` and changes nothing, not even the record's references or `updatedAt`.
   */
  applyWebhookEvent(event: WebhookEvent): Promise<WebhookEventResult>;
}
