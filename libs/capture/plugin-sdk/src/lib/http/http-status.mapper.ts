import type { CaptureOutcomeInput, ErrorCode } from '@capture-gateway/domain';

export interface ProviderErrorDetail {
  code?: string;
  message?: string;
  /**
   * Ours, where the provider's code alone cannot say (Stripe's `payment_intent_unexpected_state` means
   * `already_captured` or `authorisation_not_found` by the intent's status): wins over `errorCodes`.
   */
  errorCode?: ErrorCode;
  /**
   * The provider says a request with this capture's idempotency key was already received and is being,
   * or was, processed (Adyen's `704`): the answer does not say what became of it, so the outcome is
   * `unknown` whatever the status, for the reconciler to settle. Wins over `errorCode` and `errorCodes`.
   */
  inDoubt?: boolean;
}

/**
 * The default reading of a non-2xx answer, for plugins whose provider has no more precise code.
 * A 5xx is `unknown`: the provider may have captured before it failed.
 */
export function outcomeForHttpStatus(status: number, providerName: string, provider?: ProviderErrorDetail): CaptureOutcomeInput {
  const detail = provider && (provider.code || provider.message) ? { provider } : {};
  if (status >= 500) {
    return {
      status: 'unknown',
      error: {
        code: 'provider_unavailable',
        message: `${providerName} answered ${status}; the capture may or may not have happened`,
        ...detail,
      },
    };
  }
  const code: ErrorCode =
    status === 401 || status === 403
      ? 'provider_auth_failed'
      : status === 404
        ? 'authorisation_not_found'
        : status === 409
          ? 'already_captured'
          : status === 408 || status === 429
            ? 'provider_unavailable'
            : 'provider_declined';
  return { status: 'failed', error: { code, message: `${providerName} refused the capture (HTTP ${status})`, ...detail } };
}

/** A body that does not parse or breaks the wire schema. After a 2xx, money may have moved. */
export function invalidResponseOutcome(status: number, providerName: string, detail: string): CaptureOutcomeInput {
  return {
    status: (status >= 200 && status < 300) || status >= 500 ? 'unknown' : 'failed',
    error: { code: 'provider_response_invalid', message: `${providerName} sent a response we cannot read (HTTP ${status}): ${detail}` },
  };
}
