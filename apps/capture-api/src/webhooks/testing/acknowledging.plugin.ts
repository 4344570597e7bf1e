import { definePlugin, secret, WebhookRejectedError } from '@capture-gateway/plugin-sdk';
import { z } from 'zod';

// A test-only plugin whose provider wants its own answer to a delivery (contract 1.5.0), as Adyen
// wants `[accepted]`. `pending-…` captures wait for a webhook; a delivery is a batch
// `{ ack, items: [{ eventId, authorisationId, status }] }` carrying the account's webhook secret in
// `x-ack-signature`; `ack` picks the acknowledgement: `accepted`, `none` (a bare array), or `broken` (a 500).
const Delivery = z.object({
  ack: z.enum(['accepted', 'none', 'broken']),
  items: z.array(z.object({ eventId: z.string(), authorisationId: z.string(), status: z.enum(['succeeded', 'failed']) })),
});

export const ACCEPTED = { status: 200, contentType: 'text/plain; charset=utf-8', body: '[accepted]' };

export default definePlugin({
  id: 'acking',
  displayName: 'Acknowledging Provider',
  version: '1.5.0',
  configSchema: z.object({ webhookSecret: secret('Webhook secret') }),
  capabilities: { partialCapture: false, multipleCaptures: false, captureWithoutAmount: false, webhooks: true, currencies: ['USD'] },
  create(config) {
    return {
      async capture(request) {
        return { status: 'pending', references: { captureId: `ack_${request.captureId}` } };
      },
      async handleWebhook({ headers, rawBody }) {
        if (headers['x-ack-signature'] !== config.webhookSecret)
          throw new WebhookRejectedError('bad_signature', 'signature does not match');
        const delivery = Delivery.safeParse(JSON.parse(rawBody.toString()));
        if (!delivery.success) throw new WebhookRejectedError('malformed_body', 'not a batch');
        const updates = delivery.data.items.map(({ eventId, authorisationId, status }) => ({
          eventId,
          authorisationId,
          outcome:
            status === 'succeeded'
              ? { status: 'succeeded' as const, references: {} }
              : { status: 'failed' as const, error: { code: 'provider_declined' as const, message: 'declined later' } },
        }));
        if (delivery.data.ack === 'none') return updates;
        return { updates, acknowledge: delivery.data.ack === 'accepted' ? ACCEPTED : { ...ACCEPTED, status: 500 } };
      },
    };
  },
});
