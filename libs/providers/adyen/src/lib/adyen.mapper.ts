import type { ErrorCode } from '@capture-gateway/domain';
import {
  type CaptureReading,
  type HttpCaptureContext,
  type ProviderCaptureRequest,
  type ProviderErrorDetail,
  captureIdempotencyKey,
  refuse,
  requiredAmount,
} from '@capture-gateway/plugin-sdk';
import type { AdyenConfig } from './adyen.config';
import { ADYEN_MAX_IDEMPOTENCY_KEY, type AdyenCaptureAnswer, type AdyenCaptureRequest, type AdyenServiceError } from './adyen.schemas';

/**
 * Adyen's `errorCode`s a capture can get (its "Error codes" page) onto ours; any other falls back on
 * the HTTP status. Only 4xx reach this table: a 5xx stays `unknown` whatever its code.
 */
export const ERROR_CODES: Readonly<Record<string, ErrorCode>> = {
  // "Not allowed": the web service user lacks the role for modifications.
  '010': 'provider_auth_failed',
  // "Invalid Merchant Account": the account's merchantAccount is not one this API key may use.
  '901': 'provider_auth_failed',
  // "Original pspReference required for this operation": no payment of that pspReference to capture.
  '167': 'authorisation_not_found',
  // "Invalid Request: Original pspReference is invalid for this environment" (a live reference on test, say).
  '906': 'authorisation_not_found',
  // "Field 'amount' is not valid" / "Invalid amount specified".
  '137': 'invalid_request',
  // "Unsupported currency specified": not the payment's, or not the account's.
  '138': 'currency_mismatch',
  // "Required object 'amount' is not provided" and "Problem parsing request": we always send a parsable
  // amount, so either is a fault of ours, never the product team's.
  '100': 'internal_error',
  '702': 'internal_error',
  // A notification's failures: the eventCode is the code Adyen gives (the reason is its message).
  CAPTURE: 'provider_declined',
  CAPTURE_FAILED: 'provider_declined',
};

/** "704: request already processed or in progress": an earlier attempt with this capture's key. */
const IN_PROGRESS = '704';

type Context = Pick<HttpCaptureContext<AdyenConfig>, 'config' | 'money'>;

/**
 * Our request to Adyen's body: the account's merchant account, the amount in Adyen's minor units, and
 * our capture id as `reference`, which Adyen echoes as the notification's `merchantReference`.
 */
export function toWire(request: ProviderCaptureRequest, { config, money }: Context): AdyenCaptureRequest {
  const amount = requiredAmount(request);
  const key = captureIdempotencyKey(request);
  if (key.length > ADYEN_MAX_IDEMPOTENCY_KEY) {
    refuse(
      'invalid_request',
      `Adyen takes idempotency keys of at most ${ADYEN_MAX_IDEMPOTENCY_KEY} characters; this capture id makes one of ${key.length}`,
      'captureId',
    );
  }
  return {
    merchantAccount: config.merchantAccount,
    amount: { value: money.toMinorUnitInteger(amount), currency: amount.currency },
    reference: request.captureId,
  };
}

/** The 201 `received`: pending, named by Adyen's reference of this capture, which its notification repeats. */
export function readAnswer(answer: AdyenCaptureAnswer): CaptureReading {
  return {
    status: 'pending',
    references: { captureId: answer.pspReference, other: { paymentPspReference: answer.paymentPspReference } },
  };
}

/** A `ServiceError` to its code and words; a 704 is an earlier attempt still in flight: in doubt. */
export function readError(body: AdyenServiceError): ProviderErrorDetail {
  const words = [
    body.message,
    body.errorType ? `(errorType: ${body.errorType})` : undefined,
    body.pspReference ? `(pspReference: ${body.pspReference})` : undefined,
  ].filter(Boolean);
  return {
    code: body.errorCode,
    ...(words.length > 0 ? { message: words.join(' ') } : {}),
    ...(body.errorCode === IN_PROGRESS ? { inDoubt: true } : {}),
  };
}
