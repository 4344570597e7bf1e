import { createHmac } from 'node:crypto';

/** The header a receiver verifies (`verifyEvent` in @capture-gateway/client). */
export const SIGNATURE_HEADER = 'capture-signature';

/**
 * `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`: HMAC-SHA256 of `${t}.${rawBody}` with each signing
 * secret, so during a rotation a receiver holding either secret can verify. The timestamp lets it
 * refuse a replay of an old delivery.
 */
export function signatureHeader(rawBody: string, secrets: readonly string[], at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const signatures = secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${t}.${rawBody}`, 'utf8').digest('hex')}`);
  return [`t=${t}`, ...signatures].join(',');
}
