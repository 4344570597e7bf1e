import { readFileSync } from 'node:fs';
import { pactFilePath, verifyPact } from '@capture-gateway/plugin-sdk/testing';
import { type PaymentOptionsSandbox, startPaymentOptionsSandbox } from './paymentoptions.sandbox';

type Params = Record<string, unknown> | undefined;

const CONSUMER = 'capture-gateway';
const PROVIDER = 'paymentoptions';

function seed(sandbox: PaymentOptionsSandbox, params: Params, options: { captured?: boolean } = {}) {
  const { transactionId, amount, currency } = params ?? {};
  if (typeof transactionId !== 'string' || typeof amount !== 'number' || typeof currency !== 'string') {
    throw new Error(`state params must give transactionId, amount and currency, got ${JSON.stringify(params)}`);
  }
  sandbox.authorise(transactionId, { amount, currency }, options);
  return transactionId;
}

// One handler per state the consumer names. The names carry the values for readers; the
// handlers read the parameters, so they seed exactly what the interaction expects.
function stateHandlers(sandbox: PaymentOptionsSandbox): Record<string, (params: Params) => void> {
  return {
    'transaction e0b0731e-7170-4b64-8a21-7d835eebd641 is authorised for 1000 JPY': (params) => void seed(sandbox, params),
    'transaction 5b1f2c0e-3d4a-4e8b-9f61-2a7c9d0e4b13 is authorised for 1000 JPY and its capture is declined': (params) =>
      sandbox.respondWith(seed(sandbox, params), 'decline'),
    'transaction 8c2d4e6f-1a3b-4c5d-9e7f-0a1b2c3d4e5f is authorised for 1000 JPY and already captured': (params) =>
      void seed(sandbox, params, { captured: true }),
    'transaction a4b3c2d1-e5f6-4a7b-8c9d-0e1f2a3b4c5d is authorised for 1000 JPY and the provider is unavailable': (params) =>
      sandbox.respondWith(seed(sandbox, params), 'error'),
    'transaction 0d7e9a52-6c3b-4f1e-8a90-b4c5d6e7f801 does not exist': (params) =>
      sandbox.respondWith(String(params?.['transactionId']), 'notfound'),
    // The sandbox only accepts its own credentials: the consumer's revoked ones fail by themselves.
    'the credentials sent are not valid': (params) => {
      if (params?.['apiKey'] === sandbox.credentials.apiKey) throw new Error('the "invalid" credentials are the sandbox\'s own');
    },
  };
}

function pactInteractions(): { providerStates?: { name: string }[] }[] {
  return (JSON.parse(readFileSync(pactFilePath(CONSUMER, PROVIDER), 'utf8')) as { interactions: { providerStates?: { name: string }[] }[] })
    .interactions;
}

function pactStates(): string[] {
  return [...new Set(pactInteractions().flatMap((i) => (i.providerStates ?? []).map((s) => s.name)))];
}

describe('PaymentOptions sandbox against the committed pact', () => {
  let sandbox: PaymentOptionsSandbox;

  beforeAll(async () => {
    sandbox = await startPaymentOptionsSandbox();
  });
  afterAll(() => sandbox.close());

  it('has a state handler for every provider state in the pact, and no stale ones', () => {
    expect(Object.keys(stateHandlers(sandbox)).sort()).toEqual(pactStates().sort());
  });

  it('honours every interaction of the pact', async () => {
    await expect(
      verifyPact({ consumer: CONSUMER, provider: PROVIDER, providerBaseUrl: sandbox.baseUrl, stateHandlers: stateHandlers(sandbox) }),
    ).resolves.toBeDefined();
    // Every interaction reached the sandbox's capture route: none was answered by a 404 of a wrong path.
    expect(sandbox.capturesReceived()).toBe(pactInteractions().length);
  }, 60_000);
});
