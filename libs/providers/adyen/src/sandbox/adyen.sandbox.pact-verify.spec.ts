import { fromMinorUnitInteger } from '@capture-gateway/domain';
import { verifyPact } from '@capture-gateway/plugin-sdk/testing';
import { ADYEN_MINOR_UNITS } from '../lib/adyen.currencies';
import { type AdyenSandbox, startAdyenSandbox } from './adyen.sandbox';

type AuthorisedParams = { paymentPspReference: string; value: number; currency: string; idempotencyKey?: string };

describe('Adyen sandbox against the committed capture-gateway/adyen pact', () => {
  let sandbox: AdyenSandbox;

  beforeAll(async () => {
    sandbox = await startAdyenSandbox();
  });
  afterAll(() => sandbox?.close());

  // Each state starts from an empty sandbox; the pact's amounts are Adyen's units, as the wire has them.
  const authorised = (params: Record<string, unknown> | undefined) => {
    const { paymentPspReference, value, currency, idempotencyKey } = params as AuthorisedParams;
    sandbox.reset();
    sandbox.authorise(paymentPspReference, fromMinorUnitInteger(value, currency, 'value', ADYEN_MINOR_UNITS));
    if (idempotencyKey) sandbox.keyInProgress(idempotencyKey);
  };

  it('honours every interaction the consumer tests wrote', async () => {
    await expect(
      verifyPact({
        consumer: 'capture-gateway',
        provider: 'adyen',
        providerBaseUrl: sandbox.baseUrl,
        stateHandlers: {
          'a payment is authorised': authorised,
          'a capture with the idempotency key is in progress': authorised,
          'no payment has the pspReference': (params) => {
            sandbox.reset();
            sandbox.markUnknown(String(params?.['paymentPspReference']));
          },
        },
      }),
    ).resolves.toBeDefined();
  }, 60_000);
});
