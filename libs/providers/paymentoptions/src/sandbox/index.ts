// Test and local-run entry point: never loaded by the plugin itself.
export {
  startPaymentOptionsSandbox,
  MAGIC_PREFIXES,
  type PaymentOptionsSandbox,
  type PaymentOptionsSandboxOptions,
  type SandboxBehaviour,
} from './paymentoptions.sandbox';
export { SANDBOX_CARD_NUMBER } from './paymentoptions.sandbox.payloads';
