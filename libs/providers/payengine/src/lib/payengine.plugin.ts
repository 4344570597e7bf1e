import { defineHttpCapturePlugin } from '@capture-gateway/plugin-sdk';
import { PayEngineCaptureOptionsSchema, PayEngineConfigSchema } from './payengine.config';
import { ERROR_CODES, PAYENGINE_CURRENCY, readAnswer, readError, toWire } from './payengine.mapper';
import { CAPTURE_PATH, PayEngineCaptureAnswerSchema, PayEngineErrorBodySchema } from './payengine.schemas';
import { handleWebhook } from './payengine.webhook';

/** PayEngine credit card capture (`POST /api/payment/capture`) and its PAYMENT_CAPTURED webhook. */
export const payEnginePlugin = defineHttpCapturePlugin({
  id: 'payengine',
  displayName: 'PayEngine',
  version: '0.2.0',
  configSchema: PayEngineConfigSchema,
  captureOptionsSchema: PayEngineCaptureOptionsSchema,
  capabilities: {
    partialCapture: true,
    multipleCaptures: false,
    captureWithoutAmount: true,
    webhooks: true,
    currencies: [PAYENGINE_CURRENCY],
  },
  path: CAPTURE_PATH,
  // PayEngine's API-key scheme: the secret key as `Authorization: Basic <secretKey>`.
  headers: (config) => ({ authorization: `Basic ${config.secretKey}` }),
  toWire,
  answerSchema: PayEngineCaptureAnswerSchema,
  readAnswer,
  errorSchema: PayEngineErrorBodySchema,
  readError,
  errorCodes: ERROR_CODES,
  // `processed_amount` is "the actual amount processed": a partial authorisation may capture less.
  capturedAmountMayBeLess: true,
  handleWebhook,
});
