import {
  DomainError,
  type CaptureOutcomeInput,
  type ErrorCode,
  type MaskedCard,
  type Money,
  type ProviderReferences,
  fromDecimalString,
  toDecimalString,
} from '@capture-gateway/domain';
import {
  type ProviderAnswer,
  type ProviderCaptureRequest,
  invalidResponseOutcome,
  outcomeForHttpStatus,
  redact,
} from '@capture-gateway/plugin-sdk';
import type { PayEngineCaptureOptions } from './payengine.config';
import {
  PAYENGINE_MAX_AMOUNT_CHARS,
  type PayEngineCaptureRequest,
  type PayEngineCaptureResult,
  PayEngineCaptureResponseSchema,
  PayEngineErrorBodySchema,
} from './payengine.schemas';

export const PROVIDER_NAME = 'PayEngine';
// The docs speak only of dollars ("1.00 and 1 both will be considered $1.00").
export const PAYENGINE_CURRENCY = 'USD';

/**
 * Minor units to PayEngine's amount string, exactly ("150.00"). Throws a DomainError for another
 * currency or an amount wider than PayEngine's 12 characters, so nothing is sent.
 */
export function toPayEngineAmount(money: Money, param: string): string {
  if (money.currency !== PAYENGINE_CURRENCY) {
    throw new DomainError('unsupported_by_provider', `PayEngine captures in USD only, not ${money.currency}`, param);
  }
  const value = toDecimalString(money);
  if (value.length > PAYENGINE_MAX_AMOUNT_CHARS) {
    throw new DomainError(
      'invalid_request',
      `${value} USD is wider than PayEngine's ${PAYENGINE_MAX_AMOUNT_CHARS}-character amount`,
      param,
    );
  }
  return value;
}

/** Our capture request to PayEngine's body. No amount: `transaction_amount` is left out (capture all). */
export function toCaptureRequestBody(request: ProviderCaptureRequest<PayEngineCaptureOptions>): PayEngineCaptureRequest {
  const options = request.options ?? {};
  const fee = (amount: number | undefined, param: string) =>
    amount === undefined ? undefined : toPayEngineAmount({ amount, currency: PAYENGINE_CURRENCY }, param);
  const data: PayEngineCaptureRequest['data'] = {};
  if (request.amount) data.transaction_amount = toPayEngineAmount(request.amount, 'amount');
  const pre = fee(options.preSettlementFeeCharge, 'providerOptions.preSettlementFeeCharge');
  const post = fee(options.postSettlementFeeCharge, 'providerOptions.postSettlementFeeCharge');
  if (pre !== undefined) data.pre_settlement_fee_charge = pre;
  if (post !== undefined) data.post_settlement_fee_charge = post;
  if (options.metadata) data.metadata = options.metadata;
  return { id: request.authorisationId, data };
}

/** A request we refused to send: nothing reached PayEngine, so `failed`. */
export function refusedBeforeSending(error: DomainError): CaptureOutcomeInput {
  return { status: 'failed', error: { code: error.code, message: error.message } };
}

/** Only the last four digits are ever kept, whatever mask PayEngine puts before them. */
export function maskedCardFrom(masked: string | undefined, brand?: string): MaskedCard | undefined {
  const last4 = /(\d{4})\s*$/.exec(masked ?? '')?.[1];
  if (!last4) return undefined;
  return { ...(brand ? { brand: brand.slice(0, 40) } : {}), last4 };
}

function referencesFrom(result: PayEngineCaptureResult, transactionId: string | undefined): ProviderReferences {
  const other: Record<string, string> = {};
  if (result.host_reference_number) other['host_reference_number'] = result.host_reference_number;
  if (result.task_id) other['task_id'] = result.task_id;
  if (result.transaction_id) other['processor_transaction_id'] = result.transaction_id;
  return {
    ...(transactionId ? { captureId: transactionId } : {}),
    ...(result.auth_code ? { authCode: result.auth_code } : {}),
    ...(Object.keys(other).length > 0 ? { other } : {}),
  };
}

/**
 * A `capture_response` (from the answer or a webhook) to an outcome. PASS: succeeded for
 * `processed_amount`; FAIL: declined with PayEngine's code and message; PENDING_3DSAUTH: pending.
 * Throws a MoneyError when `processed_amount` is not a USD amount.
 */
export function outcomeFromResult(
  result: PayEngineCaptureResult,
  transactionId: string | undefined,
  secrets: readonly string[],
  requested?: Money,
): CaptureOutcomeInput {
  const card = maskedCardFrom(result.masked_card_number, result.card_type);
  const common = { references: referencesFrom(result, transactionId), ...(card ? { card } : {}) };
  switch (result.status) {
    case 'PASS': {
      const processed = result.processed_amount;
      const capturedAmount = processed !== undefined ? fromDecimalString(processed, PAYENGINE_CURRENCY, 'processed_amount') : requested;
      return { status: 'succeeded', ...(capturedAmount ? { capturedAmount } : {}), ...common };
    }
    case 'PENDING_3DSAUTH':
      return { status: 'pending', ...common };
    case 'FAIL':
      return {
        status: 'failed',
        error: {
          code: 'provider_declined',
          message: 'PayEngine declined the capture',
          ...providerDetail(result.response_code, result.response_message, secrets),
        },
        ...common,
      };
  }
}

function providerDetail(code: string | undefined, message: string | undefined, secrets: readonly string[]) {
  // PayEngine's own words go into outcomes and logs: the same redaction as everything else.
  const clean = (value: string) => redact(value.slice(0, 500), secrets);
  if (!code && !message) return {};
  return { provider: { ...(code ? { code: clean(code) } : {}), ...(message ? { message: clean(message) } : {}) } };
}

// Our reading of PayEngine's undocumented error codes; anything else falls back on the HTTP status.
const ERROR_CODES: Readonly<Record<string, ErrorCode>> = {
  unauthorized: 'provider_auth_failed',
  forbidden: 'provider_auth_failed',
  payment_not_found: 'authorisation_not_found',
  already_captured: 'already_captured',
  amount_exceeds_authorised: 'amount_exceeds_authorised',
  invalid_request: 'invalid_request',
};

function outcomeFromError(status: number, body: unknown, secrets: readonly string[]): CaptureOutcomeInput {
  const parsed = PayEngineErrorBodySchema.safeParse(body);
  const providerCode = parsed.success ? (parsed.data.error ?? parsed.data.code) : undefined;
  const detail = providerDetail(providerCode, parsed.success ? parsed.data.message : undefined, secrets);
  if (status === 404 && !providerCode) {
    // A 404 without PayEngine's error body is a wrong route (a base URL ending in /api?), not an unknown payment.
    return invalidResponseOutcome(status, PROVIDER_NAME, 'HTTP 404 without an error body; is baseUrl the PayEngine host root?');
  }
  const byStatus = outcomeForHttpStatus(status, PROVIDER_NAME, detail.provider);
  const code = providerCode ? ERROR_CODES[providerCode] : undefined;
  // A 5xx stays `unknown` whatever its body says: PayEngine may have captured before failing.
  if (!code || byStatus.status === 'unknown') return byStatus;
  return { status: 'failed', error: { code, message: `${PROVIDER_NAME} refused the capture (HTTP ${status})`, ...detail } };
}

/** Any HTTP answer from the capture endpoint to an outcome. Never throws. */
export function outcomeFromAnswer(answer: ProviderAnswer, secrets: readonly string[], requested?: Money): CaptureOutcomeInput {
  if (answer.status < 200 || answer.status >= 300) return outcomeFromError(answer.status, answer.body, secrets);
  const parsed = PayEngineCaptureResponseSchema.safeParse(answer.body);
  if (!parsed.success) {
    const reason = answer.body === undefined ? 'the body is not JSON' : 'the body is not a capture response';
    return invalidResponseOutcome(answer.status, PROVIDER_NAME, reason);
  }
  try {
    return outcomeFromResult(parsed.data.capture_response, parsed.data.transaction_id, secrets, requested);
  } catch (error) {
    if (error instanceof DomainError) return invalidResponseOutcome(answer.status, PROVIDER_NAME, error.message);
    throw error;
  }
}
