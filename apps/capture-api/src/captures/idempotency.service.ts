import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../errors/api.errors';
import { APP_CONFIG } from '../config/config.tokens';
import type { LoadedConfig } from '../config/config.schemas';
import { CAPTURE_REPOSITORY } from '../persistence/persistence.module';
import type { CaptureRepository, IdempotencyEntry } from '../persistence/capture.repository';
import { type CaptureResponse, responseForRecord } from './capture-response';
import { requestHash } from './request-hash';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Idempotency keys, scoped to the API client. The database decides who runs a key
 * (`INSERT … ON CONFLICT DO NOTHING`), so this holds across replicas.
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

  async run(clientId: string, key: string | undefined, body: unknown, requestId: string, execute: (key?: string) => Promise<CaptureResponse>): Promise<CaptureResponse> {
    if (key === undefined) return execute();
    if (!KEY_PATTERN.test(key)) throw new ApiError('invalid_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters', 'Idempotency-Key');
    const hash = requestHash(body);
    const claim = await this.repository.claimIdempotencyKey(clientId, key, hash);
    if (claim.claimed) return this.runClaimed(clientId, key, execute);
    const { existing } = claim;
    if (existing.requestHash !== hash) {
      throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was used with a different request body', 'Idempotency-Key');
    }
    if (existing.state === 'completed') return { status: existing.responseStatus!, body: existing.responseBody, replayed: true };
    return this.inProgress(clientId, key, existing, requestId, execute);
  }

  private async runClaimed(clientId: string, key: string, execute: (key?: string) => Promise<CaptureResponse>) {
    let response: CaptureResponse;
    try {
      response = await execute(key);
    } catch (error) {
      // Nothing reached the provider unless a capture was linked; only then does the key stay taken.
      await this.repository.releaseIdempotencyKey(clientId, key).catch(() => undefined);
      throw error;
    }
    await this.repository.completeIdempotencyKey(clientId, key, response.status, response.body);
    return response;
  }

  /**
   * Another request holds the key. Within its lease: 409. After it, its process is presumed dead: if
   * it had written a capture, the provider may have been called, so we answer with that record
   * (usually `unknown`) and never call again; if not, we take the key over and run.
   */
  private async inProgress(clientId: string, key: string, existing: IdempotencyEntry, requestId: string, execute: (key?: string) => Promise<CaptureResponse>) {
    const staleBefore = new Date(Date.now() - this.leaseMs);
    if (existing.createdAt > staleBefore) {
      throw new ApiError('idempotency_request_in_progress', 'A request with this Idempotency-Key is still in progress; retry later', 'Idempotency-Key');
    }
    if (existing.captureId) {
      const record = await this.repository.findById(existing.captureId);
      if (record) return { ...responseForRecord(record, requestId), replayed: true };
    }
    if (await this.repository.takeOverStaleKey(clientId, key, staleBefore)) return this.runClaimed(clientId, key, execute);
    throw new ApiError('idempotency_request_in_progress', 'A request with this Idempotency-Key is still in progress; retry later', 'Idempotency-Key');
  }
}
