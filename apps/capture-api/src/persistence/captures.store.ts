import type {
  Admission,
  AuthorisationState,
  CaptureRecord,
  CaptureStatus,
  CaptureWrite,
  Settlement,
  StoredCapture,
} from '@capture-gateway/domain';
import type { HistoryEntry } from './capture-history';
import type { IdempotencyEntry, KeyCompletion, KeyUse } from './idempotency-keys.store';

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
  /** The request's provider options as given, kept so that a re-send sends exactly the same. */
  providerOptions?: Record<string, unknown>;
  /**
   * Partial captures: the capture is admitted under its authorisation's lock, by these rules (the
   * domain's `admit`) read against the authorisation and its captures so far; on any replica, one at a time.
   */
  admit?: (authorisation: AuthorisationState) => Admission;
}

export type InsertResult =
  | { inserted: true }
  /** A live capture of this once-only authorisation exists; a claimed key stays claimed, unlinked. */
  | { inserted: false; existing: CaptureRecord }
  /** Another request owns the key: nothing was written. */
  | { inserted: false; keyTaken: IdempotencyEntry }
  /** Refused by the authorisation's rules (`admit`); a claimed key stays claimed, unlinked. */
  | { inserted: false; refused: Extract<Admission, { admitted: false }> };

/** An authorisation as `GET /v1/authorisations/…` shows it: its state and its captures, oldest first. */
export interface AuthorisationView {
  state: AuthorisationState;
  captures: CaptureRecord[];
}

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

/** Captures and their history: I/O only; every rule of a capture's life is the domain's `settle`. */
export interface CaptureStore {
  /** Inserts the capture in `unknown` before the provider is called, claiming its idempotency key in the same statement. */
  insert(input: NewCapture): Promise<InsertResult>;
  /**
   * Writes a settlement's write only over the row's `write.expectedVersion` (the first answer,
   * settled from the capture as inserted), with, given `key`, the key completed with its response,
   * all at once. False: the capture moved meanwhile (a webhook, say) and nothing was written.
   */
  writeIfUnchanged(write: CaptureWrite, key?: KeyCompletion): Promise<boolean>;
  /**
   * The one status path: locks the capture, hands it as stored to `decide` (the state machine), and
   * writes what it returns, in one transaction.
   */
  change(id: string, decide: (current: StoredCapture) => Settlement): Promise<Settlement>;
  findById(id: string): Promise<CaptureRecord | undefined>;
  list(filter: CaptureFilter): Promise<CaptureRecord[]>;
  /** Status changes, checks, flags, acknowledgements and re-sends, oldest first. */
  history(id: string): Promise<HistoryEntry[]>;
  /** The latest capture of an authorisation on an account that is not failed. */
  findLive(account: string, authorisationId: string): Promise<CaptureRecord | undefined>;
  /** An authorisation and its captures; undefined when it has none and no row. */
  authorisation(account: string, authorisationId: string): Promise<AuthorisationView | undefined>;
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
