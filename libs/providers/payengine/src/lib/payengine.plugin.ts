import { DomainError } from '@capture-gateway/domain';
import { definePlugin } from '@capture-gateway/plugin-sdk';
import { accountSecrets, createPayEngineClient } from './payengine.client';
import { PayEngineCaptureOptionsSchema, PayEngineConfigSchema } from './payengine.config';
import { PAYENGINE_CURRENCY, outcomeFromAnswer, refusedBeforeSending, toCaptureRequestBody } from './payengine.mapper';
import { handlePayEngineWebhook } from './payengine.webhook';

/** PayEngine credit card capture (`POST /api/payment/capture`) and its PAYMENT_CAPTURED webhook. */
export const payEnginePlugin = definePlugin({
  id: 'payengine',
  displayName: 'PayEngine',
  version: '0.1.0',
  configSchema: PayEngineConfigSchema,
  captureOptionsSchema: PayEngineCaptureOptionsSchema,
  capabilities: {
    partialCapture: true,
    multipleCaptures: false,
    captureWithoutAmount: true,
    webhooks: true,
    currencies: [PAYENGINE_CURRENCY],
  },
  create(config, context) {
    const client = createPayEngineClient(config, context);
    const secrets = accountSecrets(config);
    const verification = { secret: config.webhookSecret, toleranceSeconds: config.webhookToleranceSeconds, secrets };
    return {
      async capture(request, call) {
        let body;
        try {
          body = toCaptureRequestBody(request);
        } catch (error) {
          // An amount PayEngine cannot express is refused here: nothing is sent.
          if (error instanceof DomainError) return refusedBeforeSending(error);
          throw error;
        }
        const answer = await client.capture(body, call);
        const outcome = answer.kind === 'no-answer' ? answer.outcome : outcomeFromAnswer(answer, secrets, request.amount);
        context.logger.info('payengine capture', {
          requestId: call?.requestId,
          authorisationId: request.authorisationId,
          status: outcome.status,
          ...('error' in outcome ? { code: outcome.error.code, providerCode: outcome.error.provider?.code } : {}),
        });
        return outcome;
      },
      handleWebhook: (delivery) => handlePayEngineWebhook(delivery, verification),
    };
  },
});
