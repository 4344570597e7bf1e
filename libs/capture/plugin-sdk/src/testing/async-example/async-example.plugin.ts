import { z } from 'zod';
import { requiredAmount } from '../../lib/capability-check';
import { defineHttpCapturePlugin } from '../../lib/http/http-capture.plugin';
import type { CaptureUpdate } from '../../lib/plugin.contract';
import { secret } from '../../lib/secrets';
import { WebhookRejectedError } from '../../lib/webhooks/webhook.errors';
import { hmacSha256Hex, signatureMatches, webhookJson } from '../../lib/webhooks/webhook-signature';
import { BatchSchema, CAPTURE_EVENTS, CAPTURE_PATH, ErrorBodySchema, EventSchema, ReceivedSchema } from './async-example.schemas';

/** A test plugin for the conformance kit's asynchronous mode: captures answer "received"; webhooks settle them. */
export const asyncExamplePlugin = defineHttpCapturePlugin({
  id: 'async-example',
  displayName: 'AsyncExample',
  version: '0.0.1',
  configSchema: z.object({
    baseUrl: z.url(),
    apiKey: secret(z.string().regex(/^ak_\w+$/), 'API key, sent as x-api-key'),
    webhookSecret: secret('Signs each item of a webhook batch'),
  }),
  capabilities: { partialCapture: true, multipleCaptures: false, captureWithoutAmount: false, webhooks: true, currencies: 'any' },
  path: CAPTURE_PATH,
  headers: (config) => ({ 'x-api-key': config.apiKey }),
  toWire: (request, { money }) => {
    const amount = requiredAmount(request);
    return {
      payment_id: request.authorisationId,
      amount: { value: money.toMinorUnitInteger(amount), currency: amount.currency },
      merchant_reference: request.captureId,
    };
  },
  answerSchema: ReceivedSchema,
  readAnswer: (answer) => ({ status: 'pending', references: { captureId: answer.capture_ref } }),
  errorSchema: ErrorBodySchema,
  readError: (body) => body.error,
  errorCodes: { declined: 'provider_declined', unknown_payment: 'authorisation_not_found', bad_key: 'provider_auth_failed' },
  // Each item is authenticated on its own; one bad item refuses the whole delivery, which is retried as one.
  async handleWebhook(delivery, { config, money, outcomeOf }) {
    const batch = BatchSchema.safeParse(webhookJson(delivery.rawBody));
    if (!batch.success) throw new WebhookRejectedError('malformed_body', 'The delivery is not a batch of signed items');
    const updates: CaptureUpdate[] = [];
    for (const [index, item] of batch.data.items.entries()) {
      if (!signatureMatches(hmacSha256Hex(config.webhookSecret, item.payload), [item.signature])) {
        throw new WebhookRejectedError('bad_signature', `Item ${index} of the delivery is not signed with the account's webhook secret`);
      }
      const event = EventSchema.safeParse(webhookJson(item.payload, `Item ${index}`));
      if (!event.success) throw new WebhookRejectedError('malformed_body', `Item ${index} is not an event`);
      const { type, event_id, payment_id, capture_ref, merchant_reference, amount, reason } = event.data;
      // Every event type reaches this one endpoint: those that are not about a capture are not ours to refuse.
      if (!(CAPTURE_EVENTS as readonly string[]).includes(type) || !payment_id) continue;
      const captured = amount ? money.fromMinorUnitInteger(amount.value, amount.currency) : undefined;
      const references = capture_ref ? { captureId: capture_ref } : {};
      const outcome =
        type === 'capture.succeeded'
          ? outcomeOf({ status: 'succeeded', capturedAmount: captured, references }, captured)
          : outcomeOf({ status: 'declined', provider: reason, references });
      updates.push({
        eventId: event_id,
        authorisationId: payment_id,
        ...(merchant_reference ? { captureId: merchant_reference } : {}),
        ...(capture_ref ? { providerCaptureId: capture_ref } : {}),
        outcome,
      });
    }
    return updates;
  },
});
