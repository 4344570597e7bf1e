import { type PayEngineSandbox, startPayEngineSandbox } from '@capture-gateway/provider-payengine/sandbox';
import { type PaymentOptionsSandbox, startPaymentOptionsSandbox } from '@capture-gateway/provider-paymentoptions/sandbox';
import type { DatabaseSettings } from './backends';

export interface RealProviders {
  po: PaymentOptionsSandbox;
  pe: PayEngineSandbox;
  webhookSecret: string;
  /** Both real plugins by their workspace names, an account on each sandbox (`po-jp`, `pe-us`). */
  config(database: DatabaseSettings, clients: unknown[]): Record<string, unknown>;
  /** The environment the config's secret references name. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Both providers' sandboxes, and a service config that captures through them. */
export async function startRealProviders(webhookSecret: string): Promise<RealProviders> {
  const [po, pe] = await Promise.all([startPaymentOptionsSandbox(), startPayEngineSandbox()]);
  return {
    po,
    pe,
    webhookSecret,
    config: (database, clients) => ({
      database,
      plugins: [{ module: '@capture-gateway/provider-paymentoptions' }, { module: '@capture-gateway/provider-payengine' }],
      accounts: [
        {
          id: 'po-jp',
          plugin: 'paymentoptions',
          timeoutMs: 1_000,
          settings: {
            baseUrl: po.baseUrl,
            authorizationKey: { env: 'PO_AUTH' },
            apiKey: { env: 'PO_KEY' },
            merchantId: po.credentials.merchantId,
            currency: 'JPY',
          },
        },
        {
          id: 'pe-us',
          plugin: 'payengine',
          timeoutMs: 1_000,
          settings: { baseUrl: pe.baseUrl, secretKey: { env: 'PE_KEY' }, webhookSecret: { env: 'PE_WEBHOOK' } },
        },
      ],
      clients,
    }),
    env: { PO_AUTH: po.credentials.authorizationKey, PO_KEY: po.credentials.apiKey, PE_KEY: pe.credentials, PE_WEBHOOK: webhookSecret },
    close: async () => {
      await Promise.all([po.close(), pe.close()]);
    },
  };
}
