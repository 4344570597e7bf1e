import { DomainError, parseSignatureHeader } from '@capture-gateway/domain';
import {
  type CaptureUpdate,
  type HttpWebhookContext,
  type WebhookDelivery,
  WebhookRejectedError,
  hmacKey,
  hmacSha256,
  requireWebhookSecret,
  signatureMatches,
  webhookHeader,
  webhookJson,
} from '@capture-gateway/plugin-sdk';
import type { z } from 'zod';
import type { StripeConfig } from './stripe.config';
import { chargeIdOf, isMulticapture, readAnswer, readStripeError } from './stripe.mapper';
import {
  CAPTURE_ID_METADATA_KEY,
  type StripeCharge,
  StripeChargeSchema,
  StripeEventSchema,
  type StripePaymentIntent,
  StripePaymentIntentSchema,
} from './stripe.schemas';

export const SIGNATURE_HEADER = 'stripe-signature';
type Context = HttpWebhookContext<StripeConfig>;

/** The event types that can concern a capture; every other type is acknowledged and ignored. */
export const CAPTURE_EVENTS = ['payment_intent.succeeded', 'payment_intent.payment_failed', 'payment_intent.canceled', 'charge.captured'];

/** Every secret the account accepts deliveries signed with: `webhookSecrets` (a rotation) and `webhookSecret`. */
export function webhookSecretsOf(config: StripeConfig): string[] {
  return [...new Set([...(config.webhookSecrets ?? []), ...(config.webhookSecret ? [config.webhookSecret] : [])])];
}

/**
 * `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=…]`, the
 * `whsec_…` secret used as text. The signature first (an unsigned time means nothing), then its age.
 */
export function verifySignature(delivery: WebhookDelivery, config: StripeConfig): void {
  const secrets = webhookSecretsOf(config);
  requireWebhookSecret(secrets[0], 'Stripe', 'webhookSecret or webhookSecrets');
  const raw = webhookHeader(delivery, SIGNATURE_HEADER);
  if (!raw) throw new WebhookRejectedError('missing_signature', 'The delivery has no Stripe-Signature header');
  const header = parseSignatureHeader(raw);
  if (!header.ok) throw new WebhookRejectedError('bad_signature', `The Stripe-Signature header ${header.message}`);
  // Every secret against every v1, with no early exit: the time taken does not tell which matched.
  const expected = secrets.map((secret) => hmacSha256(hmacKey(secret, 'text', 'webhookSecret'), `${header.timestamp}.`, delivery.rawBody));
  if (!signatureMatches(expected, header.signatures)) {
    throw new WebhookRejectedError(
      'bad_signature',
      "The delivery's signature does not match its body and any of the account's signing secrets",
    );
  }
  const ageSeconds = Math.floor(delivery.receivedAt.getTime() / 1000) - header.timestamp;
  if (Math.abs(ageSeconds) > config.webhookToleranceSeconds) {
    throw new WebhookRejectedError(
      'stale_timestamp',
      `The delivery was signed ${ageSeconds} s from its arrival; at most ${config.webhookToleranceSeconds} s is accepted (a replay?)`,
    );
  }
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, type: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => issue.path.join('.') || '(object)').join(', ');
  throw new WebhookRejectedError('malformed_body', `The ${type} event does not match Stripe's documented object (${fields})`);
}

const captureIdOf = (metadata: Record<string, string> | undefined) => {
  const id = metadata?.[CAPTURE_ID_METADATA_KEY];
  return id ? { captureId: id } : {};
};

function intentUpdate(eventId: string, type: string, intent: StripePaymentIntent, context: Context): CaptureUpdate | undefined {
  const names = { eventId, authorisationId: intent.id, ...captureIdOf(intent.metadata) };
  const charge = chargeIdOf(intent);
  if (type === 'payment_intent.succeeded') {
    const reading = readAnswer(intent, context);
    // Several captures' total is no one capture's amount: the answer's (or the request's) stands.
    if (reading.status === 'succeeded' && isMulticapture(intent.metadata)) delete reading.capturedAmount;
    return { ...names, ...(charge ? { providerCaptureId: charge } : {}), outcome: context.outcomeOf(reading) };
  }
  // A failed payment concerns a capture only when our capture wrote its id on the intent; an earlier
  // failed confirmation, arriving late, must not fail a capture made since.
  if (type === 'payment_intent.payment_failed') {
    if (!names.captureId || !intent.last_payment_error) return undefined;
    const provider = readStripeError(intent.last_payment_error);
    return { ...names, outcome: context.outcomeOf({ status: 'declined', provider, references: { other: { payment_intent: intent.id } } }) };
  }
  // Canceled with nothing received: no capture of it happened, or ever will.
  if (intent.amount_received !== 0) return undefined;
  const message = `The PaymentIntent was canceled (${intent.cancellation_reason ?? 'no reason given'}): nothing was captured`;
  const provider = { code: 'payment_intent_canceled', message, errorCode: 'authorisation_not_found' as const };
  return { ...names, outcome: context.outcomeOf({ status: 'declined', provider, references: { other: { payment_intent: intent.id } } }) };
}

function chargeUpdate(eventId: string, charge: StripeCharge, context: Context): CaptureUpdate | undefined {
  if (!charge.payment_intent || !charge.captured) return undefined;
  const card = charge.payment_method_details?.card;
  const last4 = card?.last4 && /^\d{4}$/.test(card.last4) ? card.last4 : undefined;
  const outcome = context.outcomeOf({
    status: 'succeeded',
    ...(isMulticapture(charge.metadata)
      ? {}
      : { capturedAmount: context.money.fromMinorUnitInteger(charge.amount_captured, charge.currency.toUpperCase(), 'amount_captured') }),
    references: { captureId: charge.id, other: { payment_intent: charge.payment_intent } },
    ...(last4 ? { card: { last4, ...(card?.brand ? { brand: card.brand } : {}) } } : {}),
  });
  return { eventId, authorisationId: charge.payment_intent, providerCaptureId: charge.id, ...captureIdOf(charge.metadata), outcome };
}

/** A verified body to the capture update it carries, if its type concerns a capture; none otherwise. */
export function parseEvent(rawBody: Buffer, context: Context): CaptureUpdate[] {
  const event = parsed(StripeEventSchema, webhookJson(rawBody), 'delivered');
  if (!CAPTURE_EVENTS.includes(event.type)) return [];
  try {
    const update =
      event.type === 'charge.captured'
        ? chargeUpdate(event.id, parsed(StripeChargeSchema, event.data.object, event.type), context)
        : intentUpdate(event.id, event.type, parsed(StripePaymentIntentSchema, event.data.object, event.type), context);
    return update ? [update] : [];
  } catch (error) {
    if (error instanceof DomainError) {
      throw new WebhookRejectedError('malformed_body', `The ${event.type} event has an amount Stripe does not write: ${error.message}`);
    }
    throw error;
  }
}

/** `handleWebhook`: authenticate, then parse. Throws WebhookRejectedError for anything untrusted. */
export async function handleWebhook(delivery: WebhookDelivery, context: Context): Promise<CaptureUpdate[]> {
  verifySignature(delivery, context.config);
  return parseEvent(delivery.rawBody, context);
}
