import { defineHttpCapturePlugin } from '@capture-gateway/plugin-sdk';
import { PaymentOptionsConfigSchema } from './paymentoptions.config';
import { ERROR_CODES, readAnswer, readError, toWire } from './paymentoptions.mapper';
import {
  CAPTURE_PATH,
  PaymentOptionsCaptureAnswerSchema,
  PaymentOptionsErrorBodySchema,
  authorizationHeader,
} from './paymentoptions.schemas';

/** PaymentOptions server-to-server capture. What every HTTP provider shares is the SDK's skeleton. */
export const paymentOptionsPlugin = defineHttpCapturePlugin({
  id: 'paymentoptions',
  displayName: 'PaymentOptions',
  version: '0.2.0',
  configSchema: PaymentOptionsConfigSchema,
  capabilities: {
    partialCapture: true,
    // A partial capture releases the rest of the authorisation: one capture per transaction.
    multipleCaptures: false,
    captureWithoutAmount: false,
    webhooks: false,
    // The API takes no currency; it captures in the authorisation's currency, which is checked on return.
    currencies: 'any',
  },
  // Each account names its one currency: a capture in another is refused before it is stored or sent.
  accountCurrencies: (config) => [config.currency],
  path: CAPTURE_PATH,
  headers: (config) => ({ authorization: authorizationHeader(config.authorizationKey), 'x-api-key': config.apiKey }),
  toWire,
  answerSchema: PaymentOptionsCaptureAnswerSchema,
  readAnswer,
  errorSchema: PaymentOptionsErrorBodySchema,
  readError,
  errorCodes: ERROR_CODES,
});
