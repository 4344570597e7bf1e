/**
 * The stable error codes product teams branch on, each with the HTTP status the API answers with.
 * Adding a code is a compatible change; renaming or removing one is not.
 */
export const ERROR_HTTP_STATUS = {
  // The caller's request.
  invalid_request: 400,
  unauthenticated: 401,
  insufficient_scope: 403,
  // The ops page's session: a state-changing request without its session's CSRF token header.
  csrf_token_invalid: 403,
  not_found: 404,
  payload_too_large: 413,
  idempotency_key_reused: 422,
  // Captures need an Idempotency-Key unless the service is configured otherwise.
  idempotency_key_required: 400,
  idempotency_request_in_progress: 409,
  rate_limited: 429,
  // A card number typed into free text (description, metadata): refused, never stored, since it
  // would bring the database into PCI DSS scope. Send cards to the provider, never to the gateway.
  card_number_in_text: 400,
  // The capture, as the provider or our rules judged it.
  already_captured: 409,
  // Only captures in doubt (unknown, pending) can be resolved by an operator.
  capture_not_in_doubt: 409,
  // Only a flagged capture (a report that contradicted it) can be acknowledged.
  capture_not_flagged: 409,
  // GET /v1/events for a client configured `events: subscriptions`: its events are pushed, not kept for polling.
  events_not_kept: 409,
  // An operator resolved the capture as failed, with a reason in its history.
  resolved_by_operator: 422,
  amount_exceeds_authorised: 422,
  // Several partial captures of one authorisation, refused before anything is sent: a final capture
  // (or the provider) closed it, or this one would take the total past the declared authorised amount.
  authorisation_closed: 409,
  amount_exceeds_authorisation: 422,
  authorisation_not_found: 422,
  currency_mismatch: 422,
  amount_mismatch: 422,
  unsupported_by_provider: 422,
  provider_declined: 402,
  // The provider, when it cannot give a usable answer: not the caller's fault.
  provider_auth_failed: 502,
  provider_response_invalid: 502,
  provider_unavailable: 503,
  provider_timeout: 504,
  // No connection to the provider came free before the account's wait for one ran out: the capture was
  // never sent and never stored, so retrying it (with the same Idempotency-Key) is safe.
  provider_busy: 503,
  // A status check: the provider says for certain that it never received the capture.
  not_received_by_provider: 502,
  // Ours.
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

export const ERROR_CODES = Object.keys(ERROR_HTTP_STATUS) as [ErrorCode, ...ErrorCode[]];

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_HTTP_STATUS[code];
}
