import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookDelivery } from '../plugin.contract';
import { WebhookRejectedError } from './webhook.errors';

/** A header of a delivery, whatever its case; the first value when it came more than once. */
export function webhookHeader(delivery: Pick<WebhookDelivery, 'headers'>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const entry = Object.entries(delivery.headers).find(([key]) => key.toLowerCase() === lower)?.[1];
  return Array.isArray(entry) ? entry[0] : entry;
}

/** HMAC-SHA256 of the parts, concatenated, as lower-case hex: the usual webhook signature. */
export function hmacSha256Hex(secret: string, ...parts: (string | Buffer)[]): string {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  return mac.digest('hex');
}

/** Whether any candidate equals the expected hex signature, compared in constant time. */
export function signatureMatches(expectedHex: string, candidates: readonly string[]): boolean {
  const expected = Buffer.from(expectedHex, 'hex');
  return candidates.some((candidate) => {
    if (!/^[0-9a-f]+$/i.test(candidate)) return false;
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** The body as JSON, or a `malformed_body` refusal. Parse only what is authenticated, or per item. */
export function webhookJson(raw: Buffer | string, what = "The delivery's body"): unknown {
  try {
    return JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    throw new WebhookRejectedError('malformed_body', `${what} is not JSON`);
  }
}

/** Refuses a delivery for an account that has no webhook secret: nothing from it can be trusted. */
export function requireWebhookSecret(secret: string | undefined, providerName: string, field = 'webhookSecret'): string {
  if (!secret) {
    throw new WebhookRejectedError(
      'bad_signature',
      `This ${providerName} account has no ${field} configured; deliveries cannot be authenticated`,
    );
  }
  return secret;
}
