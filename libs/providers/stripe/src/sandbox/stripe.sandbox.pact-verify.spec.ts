import { verifyPact } from '@capture-gateway/plugin-sdk/testing';
import { type StripeSandbox, startStripeSandbox } from './stripe.sandbox';

type AuthorisedParams = { intentId: string; amount: number; currency: string };

describe('Stripe sandbox against the committed capture-gateway/stripe pact', () => {
  let sandbox: StripeSandbox;

  beforeAll(async () => {
    sandbox = await startStripeSandbox();
  });
  afterAll(() => sandbox?.close());

  // Each state starts from an empty sandbox: amounts in the pact are Stripe's units, as the wire has them.
  const seeded =
    (status: 'requires_capture' | 'succeeded', decline = false) =>
    (params: Record<string, unknown> | undefined) => {
      const { intentId, amount, currency } = params as AuthorisedParams;
      sandbox.reset();
      // The sandbox seeds in ISO minor units; JPY and USD have Stripe's own exponents, so the units are the same.
      sandbox.authorise(intentId, { amount, currency: currency.toUpperCase() }, { status, decline });
    };

  it('honours every interaction the consumer tests wrote', async () => {
    await expect(
      verifyPact({
        consumer: 'capture-gateway',
        provider: 'stripe',
        providerBaseUrl: sandbox.baseUrl,
        formBodies: true,
        stateHandlers: {
          'a PaymentIntent requires capture': seeded('requires_capture'),
          'a PaymentIntent requires capture and its card declines': seeded('requires_capture', true),
          'a PaymentIntent is already captured': seeded('succeeded'),
          'no PaymentIntent has the id': (params) => {
            sandbox.reset();
            sandbox.markUnknown(String(params?.['intentId']));
          },
        },
      }),
    ).resolves.toBeDefined();
  }, 60_000);
});
