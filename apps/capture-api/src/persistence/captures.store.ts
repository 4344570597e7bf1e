import type { CaptureOutcome, CaptureRecord, CaptureStatus, StatusSource } from '@capture-gateway/domain';
import type { StatusCheck } from './capture-checks.store';
import type { DeliveryTarget } from './capture-events.store';
import type { IdempotencyEntry, KeyCompletion, KeyUse } from './idempotency-keys.store';
import type { ProviderOutcome } from '@capture-gateway/domain';

export type { StatusSource };

/** Who moves a capture and why: written to its history with the change. */
export interface ChangeMeta {
  source: StatusSource;
  /** The API client (api, operator), or the component (reconciler) that made the change. */
  actor?: string;
  /** An operator's reason. */
  reason?: string;
  requestId?: string;
}

/** When the reconciler next checks the capture, by the status it ends in (ISO instants; null: never). Final statuses are never checked. */
export interface CheckSchedule {
  unknown: string | null;
  pending: string | null;
}

/** A status change as every path asks for it: the store checks the move, writes history, schedule and event at once. */
export interface StatusChangeInput extends ChangeMeta {
  schedule: CheckSchedule;
  /** The id of the event written if the status moves. */
  eventId: string;
  /** Subscriptions the event may go to (the store keeps those of the capture's client and type). */
  deliveries: readonly DeliveryTarget[];
}

export interface NewCapture {
  record: CaptureRecord;
  clientId: string;
  /** The plugin allows one capture per authorisation: the database refuses a second live one. */
  singleCapture: boolean;
  /** The idempotency key of the request: claimed and linked in the insert's own statement. */
  idempotency?: KeyUse;
  /** When the reconciler checks the capture if no answer is stored by then (a crash mid-call); null: never. */
  nextCheckAt: string | null;
  requestId?: string;
}

/** The provider's first answer to a capture: its history row, check schedule and first event. */
export interface FirstOutcome {
  /** The record as `settledRecord` made it. */
  settled: CaptureRecord;
  meta: ChangeMeta;
  nextCheckAt: string | null;
  eventId: string;
  deliveries: readonly DeliveryTarget[];
  /** How long the provider took and what kind of answer it gave: provider health, on the same row write. */
  provider?: ProviderAnswer;
}

export interface ProviderAnswer {
  latencyMs: number;
  outcome: ProviderOutcome;
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
  authorisationId?: string;
  /** The provider's capture reference (`providerReferences.captureId`). */
  providerCaptureId?: string;
  /** Last changed before this instant: what has been stuck for a while. */
  updatedBefore?: Date;
  createdFrom?: Date;
  createdTo?: Date;
  /** Keyset cursor: the id of the last capture of the previous page (ids sort by time). */
  after?: string;
  limit: number;
}

/** One entry of a capture's history: a status change, a status check the reconciler made, or a webhook that contradicted it. */
export type HistoryEntry = StatusChange | StatusCheck | WebhookContradiction;

/** A signed webhook event that asked for another status than the capture's final one: refused, kept in view. */
export interface WebhookContradiction {
  kind: 'webhook_contradiction';
  eventId: string;
  requestedStatus: CaptureStatus;
  at: string;
}

export interface StatusChange {
  kind: 'status';
  from?: CaptureStatus;
  to: CaptureStatus;
  source: StatusSource;
  actor?: string;
  reason?: string;
  requestId?: string;
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
   * The provider's first answer: stored only if nothing moved the capture since `insert` (a webhook
   * may have), with its history row, schedule, first event and, given `key`, the key completed with
   * its response, all at once. False: nothing was written; apply the outcome with `applyOutcome`.
   */
  applyFirstOutcome(first: FirstOutcome, key?: KeyCompletion): Promise<boolean>;
  /**
   * The one path of every later status change: moves the capture if its status allows (a final
   * status never moves; the same in-doubt status refreshes references), and when it moves writes the
   * history row, the new schedule and the event, in one transaction.
   */
  applyOutcome(id: string, outcome: CaptureOutcome, change: StatusChangeInput): Promise<AppliedOutcome>;
  findById(id: string): Promise<CaptureRecord | undefined>;
  list(filter: CaptureFilter): Promise<CaptureRecord[]>;
  /** Status changes and status checks, oldest first. */
  history(id: string): Promise<HistoryEntry[]>;
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
