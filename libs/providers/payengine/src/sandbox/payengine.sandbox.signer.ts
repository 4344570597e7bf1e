import { createHmac } from 'node:crypto';

export const PAYENGINE_SIGNATURE_HEADER = 'x-payengine-signature';

/**
 * The `x-payengine-signature` value for a body: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * Written apart from the plugin's verifier on purpose, so tests signing with it check the scheme
 * rather than the verifier against itself.
 */
export function signPayEngineWebhook(rawBody: string | Buffer, secret: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}
