// Test-only entry point: a fake PayEngine for local runs, e2e tests and benchmarks. Never imported by the plugin.
export * from './payengine.sandbox';
export { PAYENGINE_SIGNATURE_HEADER, signPayEngineWebhook } from './payengine.sandbox.signer';
export { SANDBOX_MASKED_CARD } from './payengine.sandbox.payloads';
