import type { ErrorCode, MaskedCard, Money, ProviderReferences } from '@capture-gateway/domain';
import { type CaptureReading, type HttpCaptureContext, type ProviderCaptureRequest, refuse } from '@capture-gateway/plugin-sdk';
import type { PayEngineCaptureOptions, PayEngineConfig } from './payengine.config';
import {
  PAYENGINE_MAX_AMOUNT_CHARS,
  type PayEngineCaptureRequest,
  type PayEngineCaptureAnswer,
  type PayEngineCaptureResult,
  type PayEngineErrorBody,
} from './payengine.schemas';

// The docs speak only of dollars ("1.00 and 1 both will be considered $1.00").
export const PAYENGINE_CURRENCY = 'USD';
type Context = HttpCaptureContext<PayEngineConfig>;

// Our reading of PayEngine's undocumented error codes; anything else falls back on the HTTP status.
export const ERROR_CODES: Readonly<Record<string, ErrorCode>> = {
  unauthorized: 'provider_auth_failed',
  forbidden: 'provider_auth_failed',
  payment_not_found: 'authorisation_not_found',
  already_captured: 'already_captured',
  amount_exceeds_authorised: 'amount_exceeds_authorised',
  invalid_request: 'invalid_request',
};

/** Minor units to PayEngine's amount string, exactly ("150.00"); wider than its 12 characters is refused. */
export function toPayEngineAmount(money: Money, param: string, { money: convert }: Pick<Context, 'money'>): string {
  const value = convert.toDecimalString(money);
  if (value.length > PAYENGINE_MAX_AMOUNT_CHARS) {
    refuse('invalid_request', `${value} USD is wider than PayEngine's ${PAYENGINE_MAX_AMOUNT_CHARS}-character amount`, param);
  }
  return value;
}

/** Our capture request to PayEngine's body. No amount: `transaction_amount` is left out (capture all). */
export function toWire(request: ProviderCaptureRequest<PayEngineCaptureOptions>, context: Context): PayEngineCaptureRequest {
  const options = request.options ?? {};
  const fee = (amount: number | undefined, param: string) =>
    amount === undefined ? undefined : toPayEngineAmount({ amount, currency: PAYENGINE_CURRENCY }, param, context);
  const data: PayEngineCaptureRequest['data'] = {};
  if (request.amount) data.transaction_amount = toPayEngineAmount(request.amount, 'amount', context);
  const pre = fee(options.preSettlementFeeCharge, 'providerOptions.preSettlementFeeCharge');
  const post = fee(options.postSettlementFeeCharge, 'providerOptions.postSettlementFeeCharge');
  if (pre !== undefined) data.pre_settlement_fee_charge = pre;
  if (post !== undefined) data.post_settlement_fee_charge = post;
  if (options.metadata) data.metadata = options.metadata;
  return { id: request.authorisationId, data };
}

/** The capture answer: its `capture_response`, with the top-level `transaction_id` as our reference. */
export function readAnswer(body: PayEngineCaptureAnswer, context: Context): CaptureReading {
  return readResult(body.capture_response, body.transaction_id, context);
}

/**
 * A `capture_response` (from the answer or a webhook). PASS: succeeded for `processed_amount`
 * (absent: the amount asked); FAIL: declined with PayEngine's code and message; PENDING_3DSAUTH: pending.
 */
export function readResult(
  result: PayEngineCaptureResult,
  transactionId: string | undefined,
  { money }: Pick<Context, 'money'>,
): CaptureReading {
  const card = maskedCardFrom(result.masked_card_number, result.card_type);
  const common = { references: referencesFrom(result, transactionId), ...(card ? { card } : {}) };
  switch (result.status) {
    case 'PASS': {
      const processed = result.processed_amount;
      const capturedAmount =
        processed !== undefined ? money.fromDecimalString(processed, PAYENGINE_CURRENCY, 'processed_amount') : undefined;
      return { status: 'succeeded', ...(capturedAmount ? { capturedAmount } : {}), ...common };
    }
    case 'PENDING_3DSAUTH':
      return { status: 'pending', ...common };
    case 'FAIL':
      return { status: 'declined', provider: { code: result.response_code, message: result.response_message }, ...common };
  }
}

/** `{ "error": "<code>", "message": "<text>" }` (also `code`): our assumption, PayEngine documents none. */
export function readError(body: PayEngineErrorBody) {
  return { code: body.error ?? body.code, message: body.message };
}

/** Only the last four digits are ever kept, whatever mask PayEngine puts before them (the skeleton bounds the brand). */
export function maskedCardFrom(masked: string | undefined, brand?: string): MaskedCard | undefined {
  const last4 = /(\d{4})\s*$/.exec(masked ?? '')?.[1];
  if (!last4) return undefined;
  return { ...(brand ? { brand } : {}), last4 };
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
