import type { CaptureRecord } from '../capture/capture.schemas';
import type { CaptureStatus } from '../capture/capture-status';
import type { StatusSource } from '../events/capture-event.schemas';

/** Why a capture needs an operator although its status did not move: what a provider reported contradicts it. */
export const FLAG_REASONS = [
  // A final status reported as the other final status (a webhook saying `failed` of a succeeded capture).
  'contradicted',
  // A success reporting more than was asked for: never applied.
  'amount_above_requested',
  // A success reporting another currency than the one asked for: never applied.
  'currency_differs',
  // The provider reports capturing another amount than asked (its plugin read the answer as `amount_mismatch`).
  'amount_differs',
] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

/** An open flag on a capture: shown to operators until one acknowledges or resolves it. */
export interface CaptureFlag {
  reason: FlagReason;
  /** The status the report asked for. */
  reported: CaptureStatus;
  source: StatusSource;
  message: string;
  at: string;
}

/** A capture as its store holds it: the record, and the lifecycle's own columns the rules read. */
export interface StoredCapture {
  record: CaptureRecord;
  /** The API client whose capture it is: its events go to that client's subscriptions only. */
  clientId: string;
  /** Row version: 1 as inserted, one more on every write. The first answer's write expects 1. */
  version: number;
  /** The number of the capture's latest event; 0 until its first answer (or first move) is stored. */
  eventSequence: number;
  /** When the reconciler next looks at it (ISO instant); null: never. */
  nextCheckAt: string | null;
  /** Status checks made so far. */
  checkAttempts: number;
  /** Re-sends of the capture to an idempotent provider made so far. */
  resends: number;
  flag?: CaptureFlag;
  /** The request's `providerOptions` as given: a re-send sends exactly what was first sent. */
  providerOptions?: Record<string, unknown>;
}

/** The capture as `insert` writes it, before its provider is called. */
export function insertedCapture(record: CaptureRecord, clientId: string, nextCheckAt: string | null): StoredCapture {
  return { record, clientId, version: 1, eventSequence: 0, nextCheckAt, checkAttempts: 0, resends: 0 };
}
