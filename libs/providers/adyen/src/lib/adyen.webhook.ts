import { DomainError } from '@capture-gateway/domain';
import {
  type CaptureUpdate,
  type HttpWebhookContext,
  type WebhookDelivery,
  type WebhookHandling,
  WebhookRejectedError,
  webhookJson,
} from '@capture-gateway/plugin-sdk';
import { type AdyenConfig, hmacKeysOf } from './adyen.config';
import { verifyItem } from './adyen.hmac';
import {
  ADYEN_ACCEPTED,
  type AdyenNotificationItem,
  AdyenNotificationBatchSchema,
  AdyenNotificationItemSchema,
  CAPTURE_EVENT_CODES,
} from './adyen.schemas';

type Context = HttpWebhookContext<AdyenConfig>;

const isCaptureEvent = (code: unknown) => (CAPTURE_EVENT_CODES as readonly unknown[]).includes(code);

/**
 * Adyen has no event id: a notification is known by its event code, the pspReference it is about and
 * its success (Adyen's own rule for duplicates). So a redelivery changes nothing, while a CAPTURE_FAILED
 * after a CAPTURE of the same capture, or a success after a failure, is a new report the service judges.
 */
export const eventIdOf = (item: Pick<AdyenNotificationItem, 'eventCode' | 'pspReference' | 'success'>) =>
  `${item.eventCode}:${item.pspReference}:${item.success}`;

function parsedItem(raw: Record<string, unknown>, index: number): AdyenNotificationItem & { originalReference: string } {
  const item = AdyenNotificationItemSchema.safeParse(raw);
  if (!item.success) {
    const fields = item.error.issues.map((issue) => issue.path.join('.') || '(item)').join(', ');
    throw new WebhookRejectedError('malformed_body', `Item ${index} is not Adyen's NotificationRequestItem (${fields})`);
  }
  const { originalReference } = item.data;
  if (!originalReference) throw new WebhookRejectedError('malformed_body', `Item ${index} is a capture without its originalReference`);
  return { ...item.data, originalReference };
}

/**
 * A capture item to the update it carries. CAPTURE `true`: captured, for the item's amount (this
 * capture's, not the payment's); CAPTURE `false`: refused, Adyen's `reason` as the message;
 * CAPTURE_FAILED: the scheme refused a capture Adyen had accepted, a failure of the capture (for a
 * capture already succeeded, the service flags the contradiction for an operator rather than applying it).
 */
function updateOf(item: AdyenNotificationItem & { originalReference: string }, context: Context): CaptureUpdate | undefined {
  const { eventCode, pspReference, originalReference, merchantReference, success } = item;
  // We send every capture with our capture id as its reference: an item without one is not ours, and
  // naming no capture it could only be matched by its payment, which may have other captures.
  if (merchantReference === '') return undefined;
  if (eventCode === 'CAPTURE_FAILED' && success === 'false') return undefined;
  const references = { captureId: pspReference, other: { paymentPspReference: originalReference } };
  const names = {
    eventId: eventIdOf(item),
    authorisationId: originalReference,
    captureId: merchantReference,
    providerCaptureId: pspReference,
  };
  if (eventCode === 'CAPTURE' && success === 'true') {
    const { value, currency } = item.amount;
    const capturedAmount = context.money.fromMinorUnitInteger(value, currency, 'amount.value');
    return { ...names, outcome: context.outcomeOf({ status: 'succeeded', capturedAmount, references }) };
  }
  const message = item.reason || (eventCode === 'CAPTURE' ? 'Adyen refused the capture' : 'The card scheme refused the capture');
  return { ...names, outcome: context.outcomeOf({ status: 'declined', provider: { code: eventCode, message }, references }) };
}

/**
 * `handleWebhook`: a batch `{ live, notificationItems: [{ NotificationRequestItem }] }`, each item
 * signed on its own. Every item is authenticated before any is read, and one that fails refuses the
 * whole batch (401, nothing applied): Adyen sends it again as one, and a forged item beside genuine
 * ones means someone is tampering. Items of other event codes are acknowledged and left out. The
 * answer is Adyen's `[accepted]`.
 */
export async function handleWebhook(delivery: WebhookDelivery, context: Context): Promise<WebhookHandling> {
  const keys = hmacKeysOf(context.config);
  const batch = AdyenNotificationBatchSchema.safeParse(webhookJson(delivery.rawBody));
  if (!batch.success) throw new WebhookRejectedError('malformed_body', 'The delivery is not a batch of NotificationRequestItems');
  const items = batch.data.notificationItems.map((wrapper) => wrapper.NotificationRequestItem);
  items.forEach((item, index) => verifyItem(item, keys, index));
  const updates: CaptureUpdate[] = [];
  for (const [index, raw] of items.entries()) {
    if (!isCaptureEvent(raw['eventCode'])) continue;
    try {
      const update = updateOf(parsedItem(raw, index), context);
      if (update) updates.push(update);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      throw new WebhookRejectedError('malformed_body', `Item ${index} has an amount Adyen does not write: ${error.message}`);
    }
  }
  return { updates, acknowledge: ADYEN_ACCEPTED };
}
