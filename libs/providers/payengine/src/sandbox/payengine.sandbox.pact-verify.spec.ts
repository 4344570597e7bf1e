import { fromDecimalString } from '@capture-gateway/domain';
import { verifyPact } from '@capture-gateway/plugin-sdk/testing';
import { type PayEngineSandbox, type SandboxOutcome, startPayEngineSandbox } from './payengine.sandbox';

type AuthorisedParams = { paymentId: string; amount: string; currency: string };

describe('PayEngine sandbox against the committed capture-gateway/payengine pact', () => {
  let sandbox: PayEngineSandbox;

  beforeAll(async () => {
    sandbox = await startPayEngineSandbox();
  });
  afterAll(() => sandbox?.close());

  // Each state starts from an empty sandbox, so one interaction's capture never blocks the next.
  const authorised = (outcome: SandboxOutcome) => (params: Record<string, unknown> | undefined) => {
    const { paymentId, amount, currency } = params as AuthorisedParams;
    sandbox.reset();
    sandbox.authorise(paymentId, fromDecimalString(amount, currency), { outcome });
  };

  it('honours every interaction the consumer tests wrote', async () => {
    await expect(
      verifyPact({
        consumer: 'capture-gateway',
        provider: 'payengine',
        providerBaseUrl: sandbox.baseUrl,
        stateHandlers: {
          'a payment is authorised': authorised('pass'),
          'a payment is authorised and its capture will be declined': authorised('decline'),
          'a payment is authorised and awaits 3-D Secure authentication': authorised('pending'),
          'no payment has the id': (params) => {
            sandbox.reset();
            sandbox.markUnknown(String(params?.['paymentId']));
          },
        },
      }),
    ).resolves.toBeDefined();
    expect(sandbox.capturesReceived()).toBeGreaterThan(0);
  }, 60_000);
});
