import { defineHttpCapturePlugin } from '@capture-gateway/plugin-sdk';
import { StripeConfigSchema } from './stripe.config';
import { STRIPE_MINOR_UNITS } from './stripe.currencies';
import { ERROR_CODES, readAnswer, readError, readStatus, toWire } from './stripe.mapper';
import {
  STRIPE_API_VERSION,
  STRIPE_IDEMPOTENCY_WINDOW_SECONDS,
  StripeCaptureAnswerSchema,
  StripeErrorBodySchema,
  StripePaymentIntentSchema,
  capturePath,
  intentPath,
} from './stripe.schemas';
import { handleWebhook } from './stripe.webhook';

/** Stripe: capturing a PaymentIntent (`POST /v1/payment_intents/{intent}/capture`), its status, its events. */
export const stripePlugin = defineHttpCapturePlugin({
  id: 'stripe',
  displayName: 'Stripe',
  version: '0.1.0',
  configSchema: StripeConfigSchema,
  capabilities: {
    partialCapture: true,
    // Multicapture is an eligibility Stripe grants per account and card: one capture, unless the request says final: false.
    multipleCaptures: true,
    captureWithoutAmount: true,
    webhooks: true,
    currencies: 'any',
  },
  minorUnits: STRIPE_MINOR_UNITS,
  path: (_request, { ids }) => capturePath(ids.authorisationId),
  headers: (config) => ({ authorization: `Bearer ${config.secretKey}`, 'stripe-version': STRIPE_API_VERSION }),
  // Stripe replays the first answer to a key, and refuses the key with other parameters.
  idempotency: { header: 'Idempotency-Key', windowSeconds: STRIPE_IDEMPOTENCY_WINDOW_SECONDS },
  bodyEncoding: 'form',
  toWire,
  answerSchema: StripeCaptureAnswerSchema,
  readAnswer,
  errorSchema: StripeErrorBodySchema,
  readError,
  errorCodes: ERROR_CODES,
  errorBodyAlways: true,
  handleWebhook,
  statusCheck: {
    path: (_request, { ids }) => intentPath(ids.authorisationId),
    schema: StripePaymentIntentSchema,
    read: (intent, context, request) => readStatus(intent, context, request?.amount),
    // "No such payment_intent", in Stripe's own error body: the intent does not exist, so no capture of it does.
    notReceivedStatus: 404,
    notReceivedCodes: ['resource_missing'],
  },
});
