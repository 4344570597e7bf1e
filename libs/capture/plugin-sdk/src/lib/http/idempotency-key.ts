import { DomainError } from '@capture-gateway/domain';

// Printable ASCII without spaces: a header value every provider accepts, and Stripe's 255 at most.
const HEADER_SAFE = /^[\x21-\x7e]{1,200}$/;

/**
 * The idempotency key of a capture, for providers that take one: derived from our capture id alone,
 * so every re-send of one capture carries the same key (the service re-sends a capture with its
 * `captureId`) and no other capture ever does. An id that cannot be a header value is refused.
 */
export function captureIdempotencyKey(request: { captureId: string }): string {
  if (!HEADER_SAFE.test(request.captureId)) {
    throw new DomainError('invalid_request', 'The captureId cannot be sent as an idempotency key', 'captureId');
  }
  return `capture-gateway-${request.captureId}`;
}
