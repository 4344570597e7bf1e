import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../errors/api.errors';
import { APP_CONFIG } from '../config/config.tokens';
import type { LoadedConfig } from '../config/config.schemas';
import { CAPTURE_STORE, IDEMPOTENCY_KEY_STORE } from '../persistence/storage';
import type { CaptureStore } from '../persistence/captures.store';
import type { IdempotencyEntry, IdempotencyKeyStore, KeyCompletion } from '../persistence/idempotency-keys.store';
import { type CaptureResponse, responseForRecord } from './capture-response';
import { requestHash } from './request-hash';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** A request's idempotency key and the hash of its body. */
export interface KeyedRequest {
  key: string;
  requestHash: string;
}

/** What to do about a key another request holds: answer with `replay`, or run again holding the key. */
export type TakenKey = { replay: CaptureResponse } | { takeOver: true };

const inProgress = () =>
  new ApiError(
    'idempotency_request_in_progress',
    'A request with this Idempotency-Key is still in progress; retry later',
    'Idempotency-Key',
  );

/**
 * The rules of idempotency keys, scoped to the API client. The database decides who runs a key
 * (the capture's insert claims it, `ON CONFLICT DO NOTHING`), so this holds across replicas;
 * `CapturesService` decides when to ask.
 */
@Injectable()
export class IdempotencyService {
  private readonly leaseMs: number;

  constructor(
    @Inject(IDEMPOTENCY_KEY_STORE) private readonly keys: IdempotencyKeyStore,
    @Inject(CAPTURE_STORE) private readonly captures: CaptureStore,
    @Inject(APP_CONFIG) loaded: LoadedConfig,
  ) {
    this.leaseMs = loaded.config.idempotency.leaseSeconds * 1000;
  }

  /** Checks the key's shape and fingerprints the body it comes with. */
  keyed(key: string, body: unknown): KeyedRequest {
    if (!KEY_PATTERN.test(key))
      throw new ApiError('invalid_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters', 'Idempotency-Key');
    return { key, requestHash: requestHash(body) };
  }

  /**
   * Another request holds the key. Another body: 422. Completed: its answer, replayed. Within its
   * lease: 409. After it, its process is presumed dead: if it had written a capture, the provider may
   * have been called, so we answer with that record (usually `unknown`) and never call again; if not,
   * we take the key over and run.
   */
  async whenTaken(clientId: string, request: KeyedRequest, existing: IdempotencyEntry, requestId: string): Promise<TakenKey> {
    if (existing.requestHash !== request.requestHash) {
      throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was used with a different request body', 'Idempotency-Key');
    }
    if (existing.state === 'completed') {
      const status = existing.responseStatus;
      // The store writes a completed key's status with it: one without is a broken row, not a replay.
      if (status === null || status === undefined) throw new Error('A completed idempotency key has no response status');
      return { replay: { status, body: existing.responseBody, replayed: true } };
    }
    // The lease is measured on the database's clock (ageMs): replicas' clocks may disagree.
    if (existing.ageMs < this.leaseMs) throw inProgress();
    if (existing.captureId) {
      const record = await this.captures.findById(existing.captureId);
      if (record) return { replay: { ...responseForRecord(record, requestId), replayed: true } };
    }
    if (await this.keys.takeOverStale(clientId, request.key, this.leaseMs)) return { takeOver: true };
    throw inProgress();
  }

  /** The key's entry, if the client used it already. */
  entry(clientId: string, key: string): Promise<IdempotencyEntry | undefined> {
    return this.keys.entry(clientId, key);
  }

  complete(completion: KeyCompletion): Promise<void> {
    return this.keys.complete(completion);
  }

  /** Runs `work` holding the key; if it throws, frees the key unless a capture was linked to it. */
  async releasingOnError<T>(clientId: string, key: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      // Nothing reached the provider unless a capture was linked; only then does the key stay taken.
      await this.keys.release(clientId, key).catch(() => undefined);
      throw error;
    }
  }
}
