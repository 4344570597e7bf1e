import type { ErrorCode, Money, ProviderReferences } from '@capture-gateway/domain';
import {
  type CaptureReading,
  type HttpCaptureContext,
  type ProviderCaptureRequest,
  type ProviderErrorDetail,
  type StatusVerdict,
  refuse,
} from '@capture-gateway/plugin-sdk';
import type { StripeConfig } from './stripe.config';
import { toStripeAmount } from './stripe.currencies';
import {
  CAPTURE_ID_METADATA_KEY,
  MULTICAPTURE_METADATA_KEY,
  type StripeCaptureRequest,
  type StripeError,
  type StripeErrorBody,
  type StripeIntentStatus,
  type StripePaymentIntent,
} from './stripe.schemas';

type Context = Pick<HttpCaptureContext<StripeConfig>, 'money'>;

/** Stripe's codes (`code`, else `type`) onto ours. Anything else falls back on the HTTP status. */
export const ERROR_CODES: Readonly<Record<string, ErrorCode>> = {
  card_declined: 'provider_declined',
  expired_card: 'provider_declined',
  resource_missing: 'authorisation_not_found',
  charge_expired_for_capture: 'authorisation_not_found',
  amount_too_large: 'amount_exceeds_authorised',
  rate_limit: 'provider_unavailable',
  lock_timeout: 'provider_unavailable',
  // Our key with other parameters: a fault of ours, never the product team's (the key is the capture's own).
  idempotency_error: 'internal_error',
};

// Stripe's metadata limits: 50 keys, keys of at most 40 characters without brackets, values of at most 500.
const MAX_METADATA_KEYS = 50;
const METADATA_KEY = /^[^[\]]{1,40}$/;
const MAX_METADATA_VALUE = 500;

/** Our request's metadata, with our capture id under `capture_gateway_capture_id` so Stripe's events name it. */
export function stripeMetadata(request: Pick<ProviderCaptureRequest, 'captureId' | 'metadata' | 'final'>): Record<string, string> {
  const metadata = {
    ...request.metadata,
    [CAPTURE_ID_METADATA_KEY]: request.captureId,
    ...(request.final === false ? { [MULTICAPTURE_METADATA_KEY]: 'true' } : {}),
  };
  const entries = Object.entries(metadata);
  if (entries.length > MAX_METADATA_KEYS)
    refuse('invalid_request', `Stripe takes at most ${MAX_METADATA_KEYS - 1} metadata keys here`, 'metadata');
  for (const [key, value] of entries) {
    if (!METADATA_KEY.test(key))
      refuse('invalid_request', 'Stripe takes metadata keys of 1 to 40 characters without "[" or "]"', 'metadata');
    if (value.length > MAX_METADATA_VALUE)
      refuse('invalid_request', `Stripe takes metadata values of at most ${MAX_METADATA_VALUE} characters`, 'metadata');
  }
  return metadata;
}

/** Our capture request to Stripe's form body. No amount: Stripe captures the whole `amount_capturable`. */
export function toWire(request: ProviderCaptureRequest, { money }: Context): StripeCaptureRequest {
  return {
    ...(request.amount ? { amount_to_capture: toStripeAmount(request.amount, money) } : {}),
    metadata: stripeMetadata(request),
    // Only when a later capture may follow: Stripe's default (true) releases what is left.
    ...(request.final === false ? { final_capture: false } : {}),
  };
}

/** Whether an intent's (or charge's) amounts may sum several captures: see `MULTICAPTURE_METADATA_KEY`. */
export const isMulticapture = (metadata: Record<string, string> | undefined): boolean => metadata?.[MULTICAPTURE_METADATA_KEY] === 'true';

/** The id of the intent's latest charge: the capture's reference at Stripe. */
export function chargeIdOf(intent: Pick<StripePaymentIntent, 'latest_charge'>): string | undefined {
  const charge = intent.latest_charge;
  return typeof charge === 'string' ? charge : (charge?.id ?? undefined);
}

function referencesOf(intent: StripePaymentIntent): ProviderReferences {
  const charge = chargeIdOf(intent);
  return { ...(charge ? { captureId: charge } : {}), other: { payment_intent: intent.id } };
}

function receivedOf(intent: StripePaymentIntent, { money }: Context) {
  return money.fromMinorUnitInteger(intent.amount_received, intent.currency.toUpperCase(), 'amount_received');
}

/**
 * A PaymentIntent a capture answered with. `succeeded`: captured; `requires_capture` with something
 * received: a non-final capture succeeded (more may follow); `processing`: pending. `amount_received`
 * is the intent's running total once a capture was not final: see `capturedOf`. `requires_capture` with nothing
 * received says no capture happened, which a 2xx to a capture never should: refused, so the answer
 * is `provider_response_invalid`, never a success.
 */
export function readAnswer(intent: StripePaymentIntent, context: Context, requested?: Money): CaptureReading {
  const references = referencesOf(intent);
  // Succeeded or canceled, the intent takes no more captures (a final capture releases what is left).
  const closed = intent.status === 'succeeded' ? { authorisationClosed: true } : {};
  if (intent.status === 'processing') return { status: 'pending', references };
  if (intent.status === 'succeeded' || (intent.status === 'requires_capture' && intent.amount_received > 0)) {
    return { status: 'succeeded', capturedAmount: capturedOf(intent, context, requested), references, ...closed };
  }
  return refuse('provider_response_invalid', `Stripe answered the capture with a PaymentIntent that is ${intent.status}, nothing received`);
}

// This capture's amount. A single capture's is what the intent received (so another amount than asked
// is seen); once a capture was not final the intent's total sums several, and the amount asked for
// (which Stripe captures exactly, or refuses) is this capture's, in the intent's currency.
function capturedOf(intent: StripePaymentIntent, context: Context, requested?: Money): Money {
  const received = receivedOf(intent, context);
  if (!requested || !isMulticapture(intent.metadata)) return received;
  return received.currency === requested.currency ? requested : { ...requested, currency: received.currency };
}

// The intent statuses in which nothing is authorised to capture: a capture could not have happened.
const UNAUTHORISED: readonly StripeIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

/**
 * What `GET /v1/payment_intents/{intent}` says of a capture in doubt. A PaymentIntent is captured at
 * most once unless it is a multicapture, so its status answers for our capture: `succeeded` is found
 * (for `amount_received`); `requires_capture` with nothing received and no failed attempt is
 * not_received (the call window is over when the reconciler asks, and a request still running at
 * Stripe could not capture twice: see the README); a canceled or never-authorised intent is found
 * failed (nothing was captured). Anything else (processing, a failed attempt, part received) cannot tell.
 */
export function readStatus(intent: StripePaymentIntent, context: Context, requested?: Money): CaptureReading | StatusVerdict {
  const { status } = intent;
  if (status === 'succeeded') return readAnswer(intent, context, requested);
  if (status === 'requires_capture' && intent.amount_received === 0 && !intent.last_payment_error) {
    return { status: 'not_received', message: 'Stripe says the PaymentIntent still awaits its capture: nothing was captured' };
  }
  if ((status === 'canceled' || UNAUTHORISED.includes(status)) && intent.amount_received === 0) {
    const message =
      status === 'canceled'
        ? `The PaymentIntent was canceled (${intent.cancellation_reason ?? 'no reason given'})`
        : `The PaymentIntent is ${status}`;
    return {
      status: 'declined',
      provider: {
        code: 'payment_intent_unexpected_state',
        message: `${message}: nothing was captured`,
        errorCode: 'authorisation_not_found',
      },
      references: referencesOf(intent),
    };
  }
  const why = intent.last_payment_error
    ? 'a capture attempt failed, and Stripe does not say whose'
    : `it is ${status}, ${intent.amount_received} received`;
  return { status: 'cannot_tell', message: `The PaymentIntent cannot tell about this capture: ${why}` };
}

/** Stripe's error object to its code (`code`, else `type`) and words; the intent's status decides an unexpected state. */
export function readStripeError(error: StripeError): ProviderErrorDetail {
  const intentStatus = error.payment_intent?.status;
  const words = [
    error.message,
    error.decline_code ? `(decline_code: ${error.decline_code})` : undefined,
    intentStatus ? `(the PaymentIntent is ${intentStatus})` : undefined,
  ].filter(Boolean);
  const code = error.code ?? error.type;
  return {
    code,
    ...(words.length > 0 ? { message: words.join(' ') } : {}),
    ...(code === 'payment_intent_unexpected_state' && intentStatus ? { errorCode: unexpectedStateCode(intentStatus) } : {}),
  };
}

export const readError = (body: StripeErrorBody): ProviderErrorDetail => readStripeError(body.error);

// Captured (or being captured): already_captured. Canceled or never authorised: nothing to capture.
function unexpectedStateCode(status: string): ErrorCode {
  return status === 'succeeded' || status === 'processing' ? 'already_captured' : 'authorisation_not_found';
}
