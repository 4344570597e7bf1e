import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookDelivery } from '../plugin.contract';
import { WebhookRejectedError } from './webhook.errors';

/** A header of a delivery, whatever its case; the first value when it came more than once. */
export function webhookHeader(delivery: Pick<WebhookDelivery, 'headers'>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const entry = Object.entries(delivery.headers).find(([key]) => key.toLowerCase() === lower)?.[1];
  return Array.isArray(entry) ? entry[0] : entry;
}

/** How a key or a signature is written: `text` is used as its UTF-8 bytes (Stripe's `whsec_…`). */
export type KeyEncoding = 'text' | 'hex' | 'base64';
/** How a provider writes its signatures. */
export type SignatureEncoding = 'hex' | 'base64';

const HEX = /^(?:[0-9a-f]{2})+$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The bytes a key or a signature stands for, or `undefined` when it is empty or not strictly in its
 * encoding. Node's own decoders skip what they cannot read (`Buffer.from('zz', 'hex')` is empty),
 * which would turn a typo into an empty HMAC key; base64 must also be canonical (its padding, if
 * any, right, and no stray bits), so one signature has one spelling.
 */
export function decodeBytes(value: string, encoding: KeyEncoding): Buffer | undefined {
  if (value.length === 0) return undefined;
  if (encoding === 'text') return Buffer.from(value, 'utf8');
  if (encoding === 'hex') return HEX.test(value) ? Buffer.from(value, 'hex') : undefined;
  if (!BASE64.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  const canonical = bytes.toString('base64');
  return canonical === value || canonical.replace(/=+$/, '') === value ? bytes : undefined;
}

/**
 * A webhook key as the provider hands it out: `text` (used as is, like Stripe's `whsec_…`), `hex`
 * (Adyen's HMAC key) or `base64`. A key that is not in its encoding refuses the delivery; check the
 * format in `configSchema` too, so a wrong key stops start-up instead.
 */
export function hmacKey(value: string, encoding: KeyEncoding = 'text', field = 'webhook key'): Buffer {
  const key = decodeBytes(value, encoding);
  if (!key)
    throw new WebhookRejectedError('bad_signature', `The account's ${field} is not ${encoding === 'text' ? 'set' : `valid ${encoding}`}`);
  return key;
}

/** HMAC-SHA256 of the parts, concatenated. A string key is used as text; decode others with `hmacKey`. */
export function hmacSha256(key: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** HMAC-SHA256 of the parts, concatenated, as lower-case hex: the usual webhook signature. */
export function hmacSha256Hex(key: string | Buffer, ...parts: (string | Buffer)[]): string {
  return hmacSha256(key, ...parts).toString('hex');
}

/** HMAC-SHA256 of the parts, concatenated, as base64 (Adyen, Shopify). */
export function hmacSha256Base64(key: string | Buffer, ...parts: (string | Buffer)[]): string {
  return hmacSha256(key, ...parts).toString('base64');
}

/**
 * Whether any candidate signature equals any expected one (one per secret during a rotation).
 * Every pair is compared, in constant time, with no early exit: how long it takes says nothing
 * about which candidate or secret matched. Candidates are written in `encoding` (hex in either
 * case, or base64); an expected string is read the same way, a `Buffer` is the raw digest. A
 * candidate that is not in the encoding, or of another length, matches nothing.
 */
export function signatureMatches(
  expected: string | Buffer | readonly Buffer[],
  candidates: readonly string[],
  encoding: SignatureEncoding = 'hex',
): boolean {
  const digests = typeof expected === 'string' ? [decodeBytes(expected, encoding)] : Buffer.isBuffer(expected) ? [expected] : expected;
  let matched = false;
  for (const candidate of candidates) {
    const given = decodeBytes(candidate, encoding);
    for (const digest of digests) {
      if (given && digest && given.length === digest.length && timingSafeEqual(given, digest)) matched = true;
    }
  }
  return matched;
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
