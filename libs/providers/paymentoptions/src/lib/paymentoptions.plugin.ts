import type { CaptureOutcomeInput } from '@capture-gateway/domain';
import { definePlugin, secret, type PluginLogger } from '@capture-gateway/plugin-sdk';
import { z } from 'zod';
import { createPaymentOptionsClient, PROVIDER_NAME } from './paymentoptions.client';
import { fromCaptureAnswer, toCaptureRequestBody } from './paymentoptions.mapper';

/** What one PaymentOptions account needs. Both credentials are secrets; the docs allow them to differ. */
export const PaymentOptionsConfigSchema = z.object({
  baseUrl: z.url().describe('Host of the PaymentOptions API, without the path, e.g. https://api-dev.paymentoptions.com'),
  authorizationKey: secret('Sent as `Authorization: Basic <authorizationKey>`'),
  apiKey: secret('Sent as `x-api-key: <apiKey>`'),
  merchantId: z.string().min(1).describe('The PaymentOptions merchant id, sent as `merchant_id`'),
});

export type PaymentOptionsConfig = z.infer<typeof PaymentOptionsConfigSchema>;

export const paymentOptionsPlugin = definePlugin({
  id: 'paymentoptions',
  displayName: PROVIDER_NAME,
  version: '0.1.0',
  configSchema: PaymentOptionsConfigSchema,
  capabilities: {
    partialCapture: true,
    // A partial capture releases the rest of the authorisation: one capture per transaction.
    multipleCaptures: false,
    captureWithoutAmount: false,
    webhooks: false,
    // The API takes no currency; it captures in the authorisation's currency, which we check on return.
    currencies: 'any',
  },
  create(config, context) {
    const client = createPaymentOptionsClient(config, context);
    return {
      async capture(request, call): Promise<CaptureOutcomeInput> {
        const mapped = safely(() => toCaptureRequestBody(request, config.merchantId), 'failed', context.logger);
        if ('status' in mapped) return mapped;
        if (!mapped.ok) return mapped.outcome;
        const answer = await client.capture(mapped.body, call);
        if (answer.kind === 'no-answer') return answer.outcome;
        const outcome = safely(() => fromCaptureAnswer(answer, mapped.amount, client.secrets), 'unknown', context.logger);
        context.logger.info('PaymentOptions capture answered', {
          accountId: context.accountId,
          requestId: call?.requestId,
          httpStatus: answer.status,
          outcome: outcome.status,
          code: 'error' in outcome ? outcome.error?.code : undefined,
          providerCode: 'error' in outcome ? outcome.error?.provider?.code : undefined,
          last4: outcome.card?.last4,
        });
        return outcome;
      },
    };
  },
});

// Last line of defence for the promise that `capture` never throws. Before the call nothing was
// sent (failed); after an answer arrived the provider may have captured (unknown).
function safely<T>(work: () => T, status: 'failed' | 'unknown', logger: PluginLogger): T | CaptureOutcomeInput {
  try {
    return work();
  } catch (error) {
    logger.error('PaymentOptions plugin could not map a capture', {
      stage: status === 'failed' ? 'request' : 'answer',
      error: (error as Error)?.name,
    });
    // Only our own request-side errors (a MoneyError) are quoted; an answer-side one may quote the body.
    return status === 'failed'
      ? { status, error: { code: 'invalid_request', message: `The capture could not be sent: ${(error as Error)?.message}` } }
      : { status, error: { code: 'provider_response_invalid', message: `${PROVIDER_NAME} answered, but the answer could not be read` } };
  }
}
