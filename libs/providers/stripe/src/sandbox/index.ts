// Test-only entry point: a fake Stripe for local runs, e2e tests and benchmarks. Never imported by the plugin.
export * from './stripe.sandbox';
export { STRIPE_SIGNATURE_HEADER, signStripeWebhook } from './stripe.sandbox.signer';
export { SANDBOX_CARD, eventObject, paymentIntentObject } from './stripe.sandbox.payloads';
