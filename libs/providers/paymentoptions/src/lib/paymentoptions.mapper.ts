import type { ErrorCode, ProviderReferences } from '@capture-gateway/domain';
import { maskCard } from '@capture-gateway/domain';
import { type CaptureReading, type HttpCaptureContext, type ProviderCaptureRequest, requiredAmount } from '@capture-gateway/plugin-sdk';
import type { PaymentOptionsConfig } from './paymentoptions.config';
import {
  type PaymentOptionsCaptureAnswer,
  type PaymentOptionsErrorBody,
  type PaymentOptionsCaptureRequest,
  type PaymentOptionsCaptureSuccess,
  PAYMENTOPTIONS_ERROR_CODES as PO,
} from './paymentoptions.schemas';

// The one place where PaymentOptions' codes meet ours. The codes are our assumption (the docs list
// none); an unknown code falls back on the HTTP status.
export const ERROR_CODES: Readonly<Record<string, ErrorCode>> = {
  [PO.declined]: 'provider_declined',
  [PO.amountExceedsAuthorised]: 'amount_exceeds_authorised',
  [PO.transactionNotFound]: 'authorisation_not_found',
  [PO.alreadyCaptured]: 'already_captured',
  [PO.unauthorized]: 'provider_auth_failed',
  [PO.merchantMismatch]: 'provider_auth_failed',
};

/**
 * Our request to the wire body. `merchant_id` comes from the account's config, never the caller.
 * PaymentOptions takes no currency: the plugin declares the account's `currency` as its
 * `accountCurrencies`, so the skeleton (and the service) refuse any other before this runs; the
 * amount is sent in minor units and the skeleton checks the currency that comes back.
 */
export function toWire(
  request: ProviderCaptureRequest,
  { config, money }: HttpCaptureContext<PaymentOptionsConfig>,
): PaymentOptionsCaptureRequest {
  return {
    transactionId: request.authorisationId,
    amount: money.toMinorUnitInteger(requiredAmount(request)),
    merchant_id: config.merchantId,
    ...(request.description ? { notes: request.description } : {}),
  };
}

/** A 2xx: captured, or the envelope's `success: false`, whose word is that nothing was captured. */
export function readAnswer(body: PaymentOptionsCaptureAnswer, { money }: HttpCaptureContext<PaymentOptionsConfig>): CaptureReading {
  if (!body.success) return { status: 'declined', provider: readError(body) };
  const { amount, currency } = body.payment_details;
  return {
    status: 'succeeded',
    capturedAmount: money.fromMinorUnitInteger(amount, currency),
    references: referencesOf(body),
    ...cardOf(body),
  };
}

/** `gateway_response { code, message }` of the error envelope (assumed: the docs show none). */
export function readError(body: PaymentOptionsErrorBody) {
  const { code, message } = body.gateway_response ?? {};
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

function referencesOf(body: PaymentOptionsCaptureSuccess): ProviderReferences {
  const { ref } = body.transaction_details;
  const authCode = body.payment_details.auth_code;
  return {
    captureId: body.transaction_details.id,
    ...(authCode ? { authCode } : {}),
    ...(ref !== undefined && ref !== null ? { other: { ref: String(ref) } } : {}),
  };
}

/** The full card number stops here: only brand, first six and last four go on (the skeleton bounds the brand). */
function cardOf(body: PaymentOptionsCaptureSuccess) {
  const card = maskCard(body.payment_details.card?.number ?? undefined, body.payment_details.scheme || undefined);
  return card ? { card } : {};
}
