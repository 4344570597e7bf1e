import { defineHttpCapturePlugin } from '@capture-gateway/plugin-sdk';
import { AdyenConfigSchema } from './adyen.config';
import { ADYEN_MINOR_UNITS } from './adyen.currencies';
import { ERROR_CODES, readAnswer, readError, toWire } from './adyen.mapper';
import { ADYEN_IDEMPOTENCY_WINDOW_SECONDS, AdyenCaptureAnswerSchema, AdyenServiceErrorSchema, capturePath } from './adyen.schemas';
import { handleWebhook } from './adyen.webhook';

/**
 * Adyen: capturing an authorised payment (`POST /v71/payments/{paymentPspReference}/captures`), which
 * Adyen answers "received" and settles by a CAPTURE notification. Its Checkout API has no capture
 * status read, so no `statusCheck`: a capture in doubt is re-sent with its key, or settled by its notification.
 */
export const adyenPlugin = defineHttpCapturePlugin({
  id: 'adyen',
  displayName: 'Adyen',
  version: '0.1.0',
  configSchema: AdyenConfigSchema,
  capabilities: {
    partialCapture: true,
    // Several partial captures of one payment, where the merchant account has them enabled (see the README).
    multipleCaptures: true,
    // `amount` is required in PaymentCaptureRequest.
    captureWithoutAmount: false,
    webhooks: true,
    currencies: 'any',
  },
  minorUnits: ADYEN_MINOR_UNITS,
  path: (_request, { ids }) => capturePath(ids.authorisationId),
  headers: (config) => ({ 'x-api-key': config.apiKey }),
  // Adyen answers the first attempt again for a key it has seen, for at least 7 days.
  idempotency: { header: 'Idempotency-Key', windowSeconds: ADYEN_IDEMPOTENCY_WINDOW_SECONDS },
  toWire,
  answerSchema: AdyenCaptureAnswerSchema,
  readAnswer,
  errorSchema: AdyenServiceErrorSchema,
  readError,
  errorCodes: ERROR_CODES,
  // Every documented error has Adyen's ServiceError body: a 4xx without it is someone else's page.
  errorBodyAlways: true,
  handleWebhook,
});
