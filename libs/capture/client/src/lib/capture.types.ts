// The service's data as product teams see it, written out here rather than imported from the
// domain so the published package stands alone. `capture-types.spec.ts` fails the typecheck when
// these and the domain's schemas disagree.

/**
 * - `pending`: sent, outcome not final (a 3-D Secure wait, a webhook to come).
 * - `succeeded` / `failed`: final; the provider said yes / no.
 * - `unknown`: the service cannot tell yet whether money moved; it keeps checking.
 */
export type CaptureStatus = 'pending' | 'succeeded' | 'failed' | 'unknown';

/** The service's stable error codes. New codes may be added: keep a default branch. */
export type ErrorCode =
  | 'invalid_request'
  | 'unauthenticated'
  | 'insufficient_scope'
  | 'csrf_token_invalid'
  | 'not_found'
  | 'payload_too_large'
  | 'idempotency_key_reused'
  | 'idempotency_key_required'
  | 'idempotency_request_in_progress'
  | 'rate_limited'
  | 'card_number_in_text'
  | 'already_captured'
  | 'capture_not_in_doubt'
  | 'capture_not_flagged'
  | 'events_not_kept'
  | 'resolved_by_operator'
  | 'amount_exceeds_authorised'
  | 'authorisation_closed'
  | 'amount_exceeds_authorisation'
  | 'authorisation_not_found'
  | 'currency_mismatch'
  | 'amount_mismatch'
  | 'unsupported_by_provider'
  | 'provider_declined'
  | 'provider_auth_failed'
  | 'provider_response_invalid'
  | 'provider_unavailable'
  | 'provider_timeout'
  | 'provider_busy'
  | 'not_received_by_provider'
  | 'internal_error'
  | 'service_unavailable';

/** Money as integer minor units (cents for USD, yen for JPY) and an upper-case ISO 4217 code. */
export interface Money {
  amount: number;
  currency: string;
}

/** What a product team asks for. `amount` absent: capture everything authorised, where allowed. */
export interface CaptureRequest {
  /** The provider account to capture on. */
  account: string;
  /** The provider's reference of the authorisation. */
  authorisationId: string;
  amount?: Money;
  description?: string;
  /** Your own key/value pairs (at most 50), stored with the capture and returned as given. */
  metadata?: Record<string, string>;
  /** Provider-specific fields, validated by the account's plugin. */
  providerOptions?: Record<string, unknown>;
  /** false: more captures of this authorisation may follow. Absent or true: the last one, which closes it. */
  final?: boolean;
  /** The authorised amount: given once, the gateway refuses any capture that would take the total past it. */
  authorisedAmount?: Money;
}

/** Card as the gateway keeps it: never more than the first six and last four digits. */
export interface MaskedCard {
  brand?: string;
  bin?: string;
  last4: string;
}

/** The provider's names for what it did. */
export interface ProviderReferences {
  captureId?: string;
  authCode?: string;
  other?: Record<string, string>;
}

/** Why a capture failed or is unknown: the stable code, with the provider's own beside it. */
export interface CaptureError {
  code: ErrorCode;
  message: string;
  provider?: { code?: string; message?: string };
}

/** A capture as the service stores and returns it. */
export interface Capture {
  /** `cap_…` */
  id: string;
  account: string;
  provider: string;
  authorisationId: string;
  requestedAmount?: Money;
  capturedAmount?: Money;
  status: CaptureStatus;
  error?: CaptureError;
  providerReferences: ProviderReferences;
  card?: MaskedCard;
  description?: string;
  metadata?: Record<string, string>;
  /** false: a partial capture that leaves the authorisation open; absent: final. */
  final?: false;
  /** ISO 8601 date-times. */
  createdAt: string;
  updatedAt: string;
}
