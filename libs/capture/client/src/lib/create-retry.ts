import { CaptureApiError } from './capture-api.error.js';
import type { RetryPolicy } from './capture-client.types.js';

export const DEFAULT_RETRY: RetryPolicy = { limit: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/**
 * Whether a create may be sent again with the same idempotency key. Safe only because the key
 * makes the service replay or refuse rather than capture twice; a 4xx is a final answer.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof CaptureApiError)) return false;
  if (error.code === 'network_error' || error.code === 'timeout') return true;
  if (error.code === 'idempotency_request_in_progress') return true;
  return error.status !== undefined && error.status >= 500;
}

/** Exponential backoff with full jitter, capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling * random());
}

export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.limit || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, policy)));
    }
  }
}
