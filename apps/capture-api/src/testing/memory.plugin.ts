import { definePlugin, secret, WebhookRejectedError } from '@capture-gateway/plugin-sdk';
import { z } from 'zod';

// A test-only plugin with no network: authorisation ids pick the outcome (`pending-…` waits for a
// webhook, `decline-…` fails, `unknown-…` is a timeout). Webhooks are JSON `{ eventId, authorisationId, status, capturedAmount? }` carrying the
// account's webhook secret in `x-memory-signature`. It logs what it was given, secrets included, so
// tests can prove the service's logger redacts them.
export default definePlugin({
  id: 'memory',
  displayName: 'Memory Provider',
  version: '2.3.4',
  configSchema: z.object({ apiKey: secret('API key'), webhookSecret: secret('Webhook secret') }),
  captureOptionsSchema: z
    .object({ note: z.string().max(20).optional() })
    .strict()
    .optional(),
  capabilities: { partialCapture: true, multipleCaptures: false, captureWithoutAmount: false, webhooks: true, currencies: ['USD', 'EUR'] },
  create(config, context) {
    return {
      async capture(request, call) {
        context.logger.info('memory capture', { requestId: call?.requestId, usingKey: config.apiKey });
        if (request.authorisationId.startsWith('pending-'))
          return { status: 'pending', references: { captureId: `mem_${request.captureId}` } };
        if (request.authorisationId.startsWith('unknown-')) {
          return { status: 'unknown', error: { code: 'provider_timeout', message: 'Memory Provider did not answer in time' } };
        }
        if (request.authorisationId.startsWith('decline-')) {
          return { status: 'failed', error: { code: 'provider_declined', message: 'declined', provider: { code: 'NO', message: 'no' } } };
        }
        return {
          status: 'succeeded',
          ...(request.amount ? { capturedAmount: request.amount } : {}),
          references: { captureId: `mem_${request.captureId}` },
        };
      },
      async handleWebhook({ headers, rawBody }) {
        if (headers['x-memory-signature'] !== config.webhookSecret)
          throw new WebhookRejectedError('bad_signature', 'signature does not match');
        const event = z
          .object({
            eventId: z.string(),
            authorisationId: z.string(),
            status: z.enum(['succeeded', 'failed']),
            capturedAmount: z.object({ amount: z.int(), currency: z.string() }).optional(),
          })
          .safeParse(JSON.parse(rawBody.toString()));
        if (!event.success) throw new WebhookRejectedError('malformed_body', 'not a memory event');
        const outcome =
          event.data.status === 'succeeded'
            ? {
                status: 'succeeded' as const,
                ...(event.data.capturedAmount ? { capturedAmount: event.data.capturedAmount } : {}),
                references: { authCode: event.data.eventId },
              }
            : { status: 'failed' as const, error: { code: 'provider_declined' as const, message: 'declined later' } };
        return [{ eventId: event.data.eventId, authorisationId: event.data.authorisationId, outcome }];
      },
    };
  },
});
