import {
  type CaptureOutcomeInput,
  type ErrorCode,
  type Money,
  type ProviderReferences,
  formatMoney,
  fromMinorUnitInteger,
  maskCard,
  toMinorUnitInteger,
} from '@capture-gateway/domain';
import {
  type ProviderAnswer,
  type ProviderCaptureRequest,
  invalidResponseOutcome,
  outcomeForHttpStatus,
  redact,
} from '@capture-gateway/plugin-sdk';
import type { z } from 'zod';
import { PROVIDER_NAME } from './paymentoptions.client';
import {
  type CaptureErrorBody,
  type CaptureRequestBody,
  type CaptureSuccessBody,
  CaptureErrorBodySchema,
  CaptureSuccessBodySchema,
  PAYMENTOPTIONS_ERROR_CODES as PO,
} from './paymentoptions.schemas';

export type RequestMapping = { ok: true; body: CaptureRequestBody; amount: Money } | { ok: false; outcome: CaptureOutcomeInput };

/**
 * Our request to the wire body. `merchant_id` comes from the account's config, never the caller.
 * PaymentOptions takes no currency: the amount is sent in the currency's minor units and the
 * currency is checked when the answer comes back.
 */
export function toCaptureRequestBody(request: ProviderCaptureRequest, merchantId: string): RequestMapping {
  if (!request.amount) {
    return refuse('unsupported_by_provider', `${PROVIDER_NAME} needs an amount to capture; nothing was sent`);
  }
  if (request.amount.amount === 0) {
    return refuse('invalid_request', 'A capture of zero cannot be sent to PaymentOptions; nothing was sent');
  }
  const body: CaptureRequestBody = {
    transactionId: request.authorisationId,
    amount: toMinorUnitInteger(request.amount),
    merchant_id: merchantId,
    ...(request.description ? { notes: request.description } : {}),
  };
  return { ok: true, body, amount: request.amount };
}

function refuse(code: ErrorCode, message: string): RequestMapping {
  return { ok: false, outcome: { status: 'failed', error: { code, message } } };
}

// The one place where PaymentOptions' codes meet ours. The codes are our assumption (the docs list
// none); an unknown code falls back on the HTTP status.
const BY_PROVIDER_CODE: Record<string, { code: ErrorCode; message: string }> = {
  [PO.declined]: { code: 'provider_declined', message: 'PaymentOptions declined the capture' },
  [PO.amountExceedsAuthorised]: { code: 'amount_exceeds_authorised', message: 'The amount exceeds what is left of the authorisation' },
  [PO.transactionNotFound]: { code: 'authorisation_not_found', message: 'PaymentOptions knows no authorisation with this transaction id' },
  [PO.alreadyCaptured]: { code: 'already_captured', message: 'PaymentOptions has already captured this transaction' },
  [PO.unauthorized]: { code: 'provider_auth_failed', message: 'PaymentOptions refused the account credentials' },
  [PO.merchantMismatch]: { code: 'provider_auth_failed', message: 'PaymentOptions refused the merchant id of the account' },
};

/** The provider's answer (any status) to a capture outcome. Never throws. */
export function fromCaptureAnswer(answer: ProviderAnswer, requested: Money, secrets: readonly string[]): CaptureOutcomeInput {
  const is2xx = answer.status >= 200 && answer.status < 300;
  const error = CaptureErrorBodySchema.safeParse(answer.body);
  const provider = error.success ? providerDetail(error.data, secrets) : undefined;
  if (answer.status === 404 && !error.success) {
    // A bare 404 is a wrong route (a base URL with a path, say), not an unknown transaction.
    return invalidResponseOutcome(404, PROVIDER_NAME, 'a 404 without the PaymentOptions error body; check the base URL');
  }
  if (!is2xx || error.success) return fromRefusal(answer.status, provider);
  const success = CaptureSuccessBodySchema.safeParse(answer.body);
  if (!success.success) return invalidResponseOutcome(answer.status, PROVIDER_NAME, describeInvalid(answer.body, success.error));
  return fromCaptured(success.data, requested, secrets);
}

/** `success: false` or a non-2xx: failed with a mapped code, or unknown for a 5xx. */
function fromRefusal(status: number, provider: { code?: string; message?: string } | undefined): CaptureOutcomeInput {
  const known = provider?.code ? BY_PROVIDER_CODE[provider.code] : undefined;
  if (status >= 500) return outcomeForHttpStatus(status, PROVIDER_NAME, provider);
  const detail = provider ? { provider } : {};
  if (known) return { status: 'failed', error: { code: known.code, message: known.message, ...detail } };
  if (status >= 300) return outcomeForHttpStatus(status, PROVIDER_NAME, provider);
  // A 2xx whose body says `success: false`: the body's word is that nothing was captured.
  return { status: 'failed', error: { code: 'provider_declined', message: `${PROVIDER_NAME} refused the capture`, ...detail } };
}

function fromCaptured(body: CaptureSuccessBody, requested: Money, secrets: readonly string[]): CaptureOutcomeInput {
  const { payment_details: payment } = body;
  const common = { references: referencesOf(body), ...cardOf(body) };
  const provider = providerDetail(body, secrets);
  const detail = provider ? { provider } : {};
  if (payment.currency !== requested.currency) {
    const message = `${PROVIDER_NAME} reports a capture in ${payment.currency}, not the ${requested.currency} asked for; check the transaction at PaymentOptions`;
    return { status: 'unknown', error: { code: 'currency_mismatch', message, ...detail }, ...common };
  }
  const captured = fromMinorUnitInteger(payment.amount, payment.currency);
  if (captured.amount !== requested.amount) {
    const message = `${PROVIDER_NAME} reports capturing ${formatMoney(captured)}, not the ${formatMoney(requested)} asked for; check the transaction at PaymentOptions`;
    return { status: 'unknown', error: { code: 'amount_mismatch', message, ...detail }, ...common };
  }
  return { status: 'succeeded', capturedAmount: captured, ...common };
}

function referencesOf(body: CaptureSuccessBody): ProviderReferences {
  const { ref } = body.transaction_details;
  const authCode = body.payment_details.auth_code;
  return {
    captureId: body.transaction_details.id,
    ...(authCode ? { authCode } : {}),
    ...(ref !== undefined && ref !== null ? { other: { ref: String(ref) } } : {}),
  };
}

/** The full card number stops here: only brand, first six and last four go on. */
function cardOf(body: CaptureSuccessBody) {
  const brand = body.payment_details.scheme?.slice(0, 40) || undefined;
  const card = maskCard(body.payment_details.card?.number ?? undefined, brand);
  return card ? { card } : {};
}

/** The provider's own code and message, redacted: a provider may echo a credential or a card number. */
function providerDetail(body: CaptureErrorBody | CaptureSuccessBody, secrets: readonly string[]) {
  const code = body.gateway_response?.code ?? undefined;
  const message = body.gateway_response?.message ?? undefined;
  if (!code && !message) return undefined;
  return {
    ...(code ? { code: redact(code, secrets).slice(0, 100) } : {}),
    ...(message ? { message: redact(message, secrets).slice(0, 500) } : {}),
  };
}

// Issue paths and zod's own messages only: a received value may be a card number or a secret.
function describeInvalid(body: unknown, error: z.ZodError): string {
  if (body === undefined) return 'the body is not JSON';
  const issues = error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  return `the body does not match the documented capture response (${issues.join('; ')})`;
}
