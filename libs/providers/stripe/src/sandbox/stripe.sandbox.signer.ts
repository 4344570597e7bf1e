import { createHmac } from 'node:crypto';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

/**
 * The `Stripe-Signature` value for a body: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
 * the `whsec_…` secret used as text. Written apart from the plugin's verifier on purpose, so a test
 * signing with it checks the scheme (and the `stripe` package's `constructEvent` checks it too).
 */
export function signStripeWebhook(rawBody: string | Buffer, secret: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}
