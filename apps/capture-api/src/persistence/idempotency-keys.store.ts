/** Claim the key in the insert's statement, or (after taking over a stale key) link a key already held. */
export type KeyUse = { key: string; requestHash: string; held?: false } | { key: string; held: true };

/** A response as stored with an idempotency key, replayed byte for byte. */
export interface StoredResponse {
  status: number;
  body: unknown;
  /** `body` serialised, set by the first `responseBodyJson`: one serialisation for the key's row and the event that shares it. */
  bodyJson?: string;
}

/** The response's body as JSON text (null: no body), serialised once per response object. */
export function responseBodyJson(response: StoredResponse): string | null {
  if (response.body === undefined) return null;
  response.bodyJson ??= JSON.stringify(response.body);
  return response.bodyJson;
}

/** A key to complete with the response its request got. */
export interface KeyCompletion {
  clientId: string;
  key: string;
  response: StoredResponse;
}

export interface IdempotencyEntry {
  requestHash: string;
  state: 'in_progress' | 'completed';
  responseStatus?: number;
  responseBody?: unknown;
  captureId?: string;
  createdAt: Date;
  /** How long ago the key was claimed, on the database's clock (replicas' clocks may disagree). */
  ageMs: number;
}

/** Idempotency keys, per API client. A key is claimed by `CaptureStore.insert`, in the capture's own statement. */
export interface IdempotencyKeyStore {
  entry(clientId: string, key: string): Promise<IdempotencyEntry | undefined>;
  /**
   * Takes over a key claimed more than `leaseMs` ago (on the database's clock) whose owner died
   * before creating a capture (so no provider call happened).
   */
  takeOverStale(clientId: string, key: string, leaseMs: number): Promise<boolean>;
  complete(completion: KeyCompletion): Promise<void>;
  /** Deletes a key that started no capture: once one exists, the provider may have been called. */
  release(clientId: string, key: string): Promise<void>;
  /**
   * Forgets keys last used before `before`, and unlinks them from their captures, so the same key
   * is a new request after the retention. One batch of at most `limit` keys (default
   * `PRUNE_BATCH_ROWS`): returns how many went, 0 when none is left.
   */
  prune(before: Date, limit?: number): Promise<number>;
}
