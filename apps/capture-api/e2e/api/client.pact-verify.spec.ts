import { startPayEngineSandbox, type PayEngineSandbox } from '@capture-gateway/provider-payengine/sandbox';
import { startPaymentOptionsSandbox, type PaymentOptionsSandbox } from '@capture-gateway/provider-paymentoptions/sandbox';
import { verifyPact } from '@capture-gateway/plugin-sdk/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServiceProcess, startProcess, writeConfig } from '@capture-gateway/e2e-support';

// The service proves it keeps its promises to the typed client: every interaction of the client's
// committed pact is replayed against a real service process over the real provider sandboxes.
const CLIENT_KEY = 'pact-client-api-key-0001';

describe('capture-api honours the capture-client pact', () => {
  let paymentOptions: PaymentOptionsSandbox;
  let payEngine: PayEngineSandbox;
  let service: ServiceProcess;
  let dataDir: string;

  beforeAll(async () => {
    paymentOptions = await startPaymentOptionsSandbox();
    payEngine = await startPayEngineSandbox();
    dataDir = mkdtempSync(join(tmpdir(), 'capture-pact-verify-'));
    const config = writeConfig({
      database: { dataDir },
      plugins: [{ module: '@capture-gateway/provider-paymentoptions' }, { module: '@capture-gateway/provider-payengine' }],
      accounts: [
        {
          id: 'po-sandbox',
          plugin: 'paymentoptions',
          settings: { baseUrl: paymentOptions.baseUrl, ...secretRefs('PO', paymentOptions.credentials), currency: 'JPY' },
        },
        { id: 'pe-sandbox', plugin: 'payengine', settings: { baseUrl: payEngine.baseUrl, secretKey: { env: 'PE_SECRET_KEY' } } },
      ],
      clients: [{ id: 'pact-client', apiKey: { env: 'PACT_CLIENT_KEY' }, accounts: ['po-sandbox', 'pe-sandbox'] }],
    });
    service = await startProcess(config, {
      PACT_CLIENT_KEY: CLIENT_KEY,
      PE_SECRET_KEY: payEngine.credentials,
      ...secretEnv('PO', paymentOptions.credentials),
    });
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await Promise.all([paymentOptions?.close(), payEngine?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (body: unknown, idempotencyKey: string) =>
    fetch(`${service.url}/v1/captures`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
    }).then(async (r) => {
      if (r.status !== 201) throw new Error(`seeding a capture answered ${r.status}: ${await r.text()}`);
    });

  it('verifies every interaction', async () => {
    await verifyPact({
      consumer: 'capture-client',
      provider: 'capture-api',
      providerBaseUrl: service.url,
      stateHandlers: {
        'authorisation e0b0731e-7170-4b64-8a21-7d835eebd641 on account po-sandbox will be captured': () =>
          paymentOptions.authorise('e0b0731e-7170-4b64-8a21-7d835eebd641', { amount: 1000, currency: 'JPY' }),
        // The sandboxes pick these outcomes from the id's prefix.
        'authorisation pending-4126266e on account pe-sandbox will wait for 3-D Secure': () => undefined,
        'authorisation decline-e0b0731e on account po-sandbox will be declined': () => undefined,
        'a capture of authorisation replay-e0b0731e on account po-sandbox was made with idempotency key key-replayed': () =>
          post({ account: 'po-sandbox', authorisationId: 'replay-e0b0731e', amount: { amount: 1000, currency: 'JPY' } }, 'key-replayed'),
        'no capture has id cap_0000000000doesnotexist': () => undefined,
        'captures of account po-sandbox exist': async () => {
          for (const n of [1, 2, 3])
            await post(
              { account: 'po-sandbox', authorisationId: `list-${n}`, amount: { amount: 500, currency: 'JPY' } },
              `key-list-${n}`,
            ).catch(() => undefined);
        },
      },
    });
  }, 120_000);
});

type Credentials = Record<string, string>;
const secretRefs = (prefix: string, credentials: Credentials) =>
  Object.fromEntries(Object.keys(credentials).map((field) => [field, { env: `${prefix}_${field.toUpperCase()}` }]));
const secretEnv = (prefix: string, credentials: Credentials) =>
  Object.fromEntries(Object.entries(credentials).map(([field, value]) => [`${prefix}_${field.toUpperCase()}`, value]));
