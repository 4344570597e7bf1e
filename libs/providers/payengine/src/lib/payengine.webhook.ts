import { DomainError, parseSignatureHeader } from '@capture-gateway/domain';
import {
  type CaptureUpdate,
  type HttpWebhookContext,
  type WebhookDelivery,
  WebhookRejectedError,
  hmacSha256,
  requireWebhookSecret,
  signatureMatches,
  webhookHeader,
  webhookJson,
} from '@capture-gateway/plugin-sdk';
import type { PayEngineConfig } from './payengine.config';
import { readResult } from './payengine.mapper';
import { PayEngineWebhookEnvelopeSchema, PayEngineWebhookSchema } from './payengine.schemas';

export const SIGNATURE_HEADER = 'x-payengine-signature';
export const CAPTURED_EVENT = 'PAYMENT_CAPTURED';

/** Every secret the account accepts deliveries signed with: `webhookSecrets` (a rotation) and `webhookSecret`. */
export function webhookSecretsOf(config: PayEngineConfig): string[] {
  return [...new Set([...(config.webhookSecrets ?? []), ...(config.webhookSecret ? [config.webhookSecret] : [])])];
}

/**
 * The whole delivery is signed, with a timestamp: the signature first (an unsigned time means nothing), then its age.
 * During a rotation the account holds several secrets: a signature by any of them is accepted.
 */
export function verifySignature(delivery: WebhookDelivery, config: PayEngineConfig): void {
  const secrets = webhookSecretsOf(config);
  requireWebhookSecret(secrets[0], 'PayEngine', 'webhookSecret or webhookSecrets');
  const raw = webhookHeader(delivery, SIGNATURE_HEADER);
  if (!raw) throw new WebhookRejectedError('missing_signature', `The delivery has no ${SIGNATURE_HEADER} header`);
  // `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`: several v1 values let a secret be rotated.
  const header = parseSignatureHeader(raw);
  if (!header.ok) throw new WebhookRejectedError('bad_signature', `The ${SIGNATURE_HEADER} header ${header.message}`);
  // Every secret against every v1, with no early exit: the time taken does not tell which one matched.
  const expected = secrets.map((secret) => hmacSha256(secret, `${header.timestamp}.`, delivery.rawBody));
  if (!signatureMatches(expected, header.signatures)) {
    throw new WebhookRejectedError(
      'bad_signature',
      "The delivery's signature does not match its body and any of the account's webhook secrets",
    );
  }
  const ageSeconds = Math.floor(delivery.receivedAt.getTime() / 1000) - header.timestamp;
  if (Math.abs(ageSeconds) > config.webhookToleranceSeconds) {
    throw new WebhookRejectedError(
      'stale_timestamp',
      `The delivery was signed ${ageSeconds} s from its arrival; at most ${config.webhookToleranceSeconds} s is accepted (a replay?)`,
    );
  }
}

/** A verified body to the capture update it carries. PayEngine sends only the events an endpoint subscribed to. */
export function parseCapturedEvent(rawBody: Buffer, context: HttpWebhookContext<PayEngineConfig>): CaptureUpdate {
  const json = webhookJson(rawBody);
  const envelope = PayEngineWebhookEnvelopeSchema.safeParse(json);
  if (!envelope.success) throw new WebhookRejectedError('malformed_body', 'The delivery has no "event" and "event_uid"');
  if (envelope.data.event !== CAPTURED_EVENT) {
    throw new WebhookRejectedError(
      'unsupported_event',
      `Event "${envelope.data.event.slice(0, 64)}" is not handled; only ${CAPTURED_EVENT}`,
    );
  }
  const event = PayEngineWebhookSchema.safeParse(json);
  if (!event.success) {
    const fields = event.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new WebhookRejectedError('malformed_body', `The ${CAPTURED_EVENT} delivery does not match the documented payload (${fields})`);
  }
  const { data, event_uid } = event.data;
  try {
    const outcome = context.outcomeOf(readResult(data.capture_response, data.transaction_id, context));
    // `transaction_id` is the capture answer's: the reference the capture outcome stored.
    const providerCaptureId = data.transaction_id ? { providerCaptureId: data.transaction_id } : {};
    return { eventId: event_uid, authorisationId: data.payment_id, ...providerCaptureId, outcome };
  } catch (error) {
    if (error instanceof DomainError) {
      throw new WebhookRejectedError('malformed_body', `The ${CAPTURED_EVENT} delivery has a bad amount: ${error.message}`);
    }
    throw error;
  }
}

/** `handleWebhook`: authenticate, then parse. Throws WebhookRejectedError for anything untrusted. */
export async function handleWebhook(delivery: WebhookDelivery, context: HttpWebhookContext<PayEngineConfig>): Promise<CaptureUpdate[]> {
  verifySignature(delivery, context.config);
  return [parseCapturedEvent(delivery.rawBody, context)];
}
