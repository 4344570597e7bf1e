import { Inject, Injectable } from '@nestjs/common';
import type { CaptureRecord } from '@capture-gateway/domain';
import { ApiError } from '../errors/api.errors';
import { APP_CONFIG } from '../config/config.tokens';
import type { LoadedConfig } from '../config/config.schemas';
import { CAPTURE_REPOSITORY } from '../persistence/persistence.module';
import type { CaptureRepository, IdempotencyEntry, KeyCompletion, KeyUse } from '../persistence/capture.repository';
import { type CaptureResponse, responseForRecord } from './capture-response';
import type { CaptureStart } from './captures.service';
import { requestHash } from './request-hash';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The two halves of a capture, around the provider call, that the key's claim and completion ride on. */
export interface KeyedCaptureSteps {
  start(key: KeyUse): Promise<CaptureStart>;
  finish(record: CaptureRecord, key: KeyCompletion): Promise<CaptureResponse>;
}

/**
 * Idempotency keys, scoped to the API client. The database decides who runs a key
 * (`INSERT … ON CONFLICT DO NOTHING`, in the statement that inserts the capture), so this holds
 * across replicas.
 */
@Injectable()
export class IdempotencyService {
  private readonly leaseMs: number;

  constructor(
    @Inject(CAPTURE_REPOSITORY) private readonly repository: CaptureRepository,
    @Inject(APP_CONFIG) loaded: LoadedConfig,
  ) {
    this.leaseMs = loaded.config.idempotency.leaseSeconds * 1000;
  }

  async run(clientId: string, key: string, body: unknown, requestId: string, steps: KeyedCaptureSteps): Promise<CaptureResponse> {
    if (!KEY_PATTERN.test(key))
      throw new ApiError('invalid_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters', 'Idempotency-Key');
    const hash = requestHash(body);
    return this.runWith(clientId, { key, requestHash: hash }, hash, requestId, steps);
  }

  private async runWith(
    clientId: string,
    use: KeyUse,
    hash: string,
    requestId: string,
    steps: KeyedCaptureSteps,
  ): Promise<CaptureResponse> {
    const { key } = use;
    // Claim and insert are one statement: if it fails, nothing of ours was written, and releasing the
    // key could delete the claim of another request holding it.
    const started = await steps.start(use);
    if (started.kind === 'key_taken') return this.existing(clientId, key, hash, started.existing, requestId, steps);
    // The key completes in the statement that stores the provider's answer.
    if (started.kind === 'started') return this.releasingOnError(clientId, key, () => steps.finish(started.record, { clientId, key }));
    await this.repository.completeIdempotencyKey(clientId, key, started.response.status, started.response.body);
    return started.response;
  }

  private async releasingOnError<T>(clientId: string, key: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      // Nothing reached the provider unless a capture was linked; only then does the key stay taken.
      await this.repository.releaseIdempotencyKey(clientId, key).catch(() => undefined);
      throw error;
    }
  }

  private async existing(
    clientId: string,
    key: string,
    hash: string,
    existing: IdempotencyEntry,
    requestId: string,
    steps: KeyedCaptureSteps,
  ) {
    if (existing.requestHash !== hash) {
      throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was used with a different request body', 'Idempotency-Key');
    }
    if (existing.state === 'completed') return { status: existing.responseStatus!, body: existing.responseBody, replayed: true };
    return this.inProgress(clientId, key, existing, hash, requestId, steps);
  }

  /**
   * Another request holds the key. Within its lease: 409. After it, its process is presumed dead: if
   * it had written a capture, the provider may have been called, so we answer with that record
   * (usually `unknown`) and never call again; if not, we take the key over and run.
   */
  private async inProgress(
    clientId: string,
    key: string,
    existing: IdempotencyEntry,
    hash: string,
    requestId: string,
    steps: KeyedCaptureSteps,
  ) {
    const staleBefore = new Date(Date.now() - this.leaseMs);
    if (existing.createdAt > staleBefore) {
      throw new ApiError(
        'idempotency_request_in_progress',
        'A request with this Idempotency-Key is still in progress; retry later',
        'Idempotency-Key',
      );
    }
    if (existing.captureId) {
      const record = await this.repository.findById(existing.captureId);
      if (record) return { ...responseForRecord(record, requestId), replayed: true };
    }
    if (await this.repository.takeOverStaleKey(clientId, key, staleBefore))
      return this.runWith(clientId, { key, held: true }, hash, requestId, steps);
    throw new ApiError(
      'idempotency_request_in_progress',
      'A request with this Idempotency-Key is still in progress; retry later',
      'Idempotency-Key',
    );
  }
}
