import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@capture-gateway/domain';
import { type CaptureUpdate, type WebhookDelivery, WebhookRejectedError } from '@capture-gateway/plugin-sdk';
import { outcomeFromResult } from './payengine.mapper';
import { PayEngineWebhookEnvelopeSchema, PayEngineWebhookSchema } from './payengine.schemas';

export const SIGNATURE_HEADER = 'x-payengine-signature';
export const CAPTURED_EVENT = 'PAYMENT_CAPTURED';

export interface WebhookVerification {
  /** Undefined: the account has no webhook secret, so no delivery can be trusted. */
  secret: string | undefined;
  toleranceSeconds: number;
  /** Values never to let out in an update or a message. */
  secrets: readonly string[];
}

interface SignatureHeader {
  timestamp: number;
  signatures: string[];
}

function headerValue(headers: WebhookDelivery['headers'], name: string): string | undefined {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(entry) ? entry[0] : entry;
}

/** `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`; several v1 values let a secret be rotated. */
function parseSignatureHeader(value: string): SignatureHeader | undefined {
  const parts = value.split(',').map((part) => part.trim().split('='));
  const t = parts.find(([key]) => key === 't')?.[1];
  const signatures = parts.filter(([key, v]) => key === 'v1' && v && /^[0-9a-f]{64}$/i.test(v)).map(([, v]) => String(v).toLowerCase());
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) return undefined;
  return { timestamp: Number(t), signatures };
}

function sameHex(expected: string, candidate: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(candidate, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Authenticates a delivery: the signature first (an unsigned timestamp means nothing), then its age. */
export function verifySignature(delivery: WebhookDelivery, verification: WebhookVerification): void {
  if (!verification.secret) {
    throw new WebhookRejectedError(
      'bad_signature',
      'This PayEngine account has no webhookSecret configured; deliveries cannot be authenticated',
    );
  }
  const raw = headerValue(delivery.headers, SIGNATURE_HEADER);
  if (!raw) throw new WebhookRejectedError('missing_signature', `The delivery has no ${SIGNATURE_HEADER} header`);
  const header = parseSignatureHeader(raw);
  if (!header) {
    throw new WebhookRejectedError('bad_signature', `The ${SIGNATURE_HEADER} header is not "t=<unix seconds>,v1=<hex HMAC-SHA256>"`);
  }
  const expected = createHmac('sha256', verification.secret).update(`${header.timestamp}.`).update(delivery.rawBody).digest('hex');
  if (!header.signatures.some((candidate) => sameHex(expected, candidate))) {
    throw new WebhookRejectedError('bad_signature', "The delivery's signature does not match its body and the account's webhook secret");
  }
  const ageSeconds = Math.floor(delivery.receivedAt.getTime() / 1000) - header.timestamp;
  if (Math.abs(ageSeconds) > verification.toleranceSeconds) {
    throw new WebhookRejectedError(
      'stale_timestamp',
      `The delivery was signed ${ageSeconds} s from its arrival; at most ${verification.toleranceSeconds} s is accepted (a replay?)`,
    );
  }
}

function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookRejectedError('malformed_body', "The delivery's body is not JSON");
  }
}

/** A verified body to the capture update it carries. */
export function parseCapturedEvent(rawBody: Buffer, secrets: readonly string[]): CaptureUpdate {
  const json = parseJson(rawBody);
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
    const outcome = outcomeFromResult(data.capture_response, data.transaction_id, secrets);
    return { eventId: event_uid, authorisationId: data.payment_id, outcome };
  } catch (error) {
    if (error instanceof DomainError)
      throw new WebhookRejectedError('malformed_body', `The ${CAPTURED_EVENT} delivery has a bad amount: ${error.message}`);
    throw error;
  }
}

/** `handleWebhook`: authenticate, then parse. Throws WebhookRejectedError for anything untrusted. */
export async function handlePayEngineWebhook(delivery: WebhookDelivery, verification: WebhookVerification): Promise<CaptureUpdate[]> {
  verifySignature(delivery, verification);
  return [parseCapturedEvent(delivery.rawBody, verification.secrets)];
}
