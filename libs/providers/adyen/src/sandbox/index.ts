// Test-only entry point: a fake Adyen for local runs, e2e tests and benchmarks. Never imported by the plugin.
export * from './adyen.sandbox';
export type { SandboxDelivery } from './adyen.sandbox.notifier';
export { type AdyenSignedFields, signAdyenItem } from './adyen.sandbox.signer';
export { type SandboxItem, notificationBatch, notificationItem, newPspReference } from './adyen.sandbox.payloads';
