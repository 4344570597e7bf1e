import type { CaptureOutcome, CaptureRecord, CaptureStatus } from '@capture-gateway/domain';

export type StatusSource = 'api' | 'webhook';

export interface NewCapture {
  record: CaptureRecord;
  clientId: string;
  /** The plugin allows one capture per authorisation: the database refuses a second live one. */
  singleCapture: boolean;
  /** The idempotency key that started this capture, linked in the same transaction. */
  idempotencyKey?: string;
}

export interface IdempotencyEntry {
  requestHash: string;
  state: 'in_progress' | 'completed';
  responseStatus?: number;
  responseBody?: unknown;
  captureId?: string;
  createdAt: Date;
}

export type ClaimResult = { claimed: true } | { claimed: false; existing: IdempotencyEntry };

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
  /** Inserts the capture in `unknown`, before the provider is called. */
  insertCapture(input: NewCapture): Promise<{ inserted: true } | { inserted: false; existing: CaptureRecord }>;
  /** Moves a capture to an outcome if its status allows the move; returns the record as stored. */
  applyOutcome(id: string, outcome: CaptureOutcome, source: StatusSource): Promise<CaptureRecord>;
  findById(id: string): Promise<CaptureRecord | undefined>;
  list(filter: CaptureFilter): Promise<CaptureRecord[]>;
  history(id: string): Promise<StatusChange[]>;
  /** The latest capture of an authorisation on an account that is not failed, for webhooks. */
  findByAuthorisation(account: string, authorisationId: string): Promise<CaptureRecord | undefined>;

  /** `INSERT … ON CONFLICT DO NOTHING`: exactly one request across all replicas claims a key. */
  claimIdempotencyKey(clientId: string, key: string, requestHash: string): Promise<ClaimResult>;
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
