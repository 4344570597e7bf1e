import type { JsonObject } from './openapi.components';

// Examples Swagger's "Try it out" fills in. They name the accounts of `npm start`'s dev config
// (apps/capture-api/config/capture.dev.yaml), in currencies those sandboxes authorise and with
// everyday amounts, so a newcomer with the dev key gets a real answer instead of a schema-generated
// one (a random slug, the largest safe integer, a currency that does not exist). Money is in minor
// units: JPY has none, USD and EUR have two. openapi.examples.spec.ts validates each against the
// schema it illustrates.

/** The dev config's account ids these examples use. */
export const EXAMPLE_ACCOUNTS = ['po-jp', 'pe-us', 'stripe-eu', 'adyen-eu'] as const;

/** Looks like a key a shop would make up for one order; change it for each new capture. */
export const IDEMPOTENCY_KEY_EXAMPLE = 'order-1001-7f3c9a52-1d4e-4b8a-9c60-2e5d8b1f4a37';

export const CAPTURE_REQUEST_EXAMPLES: Record<string, { summary: string; value: JsonObject }> = {
  paymentOptions: {
    summary: 'PaymentOptions (po-jp): 1,000 yen',
    value: {
      account: 'po-jp',
      authorisationId: 'txn_7f3c9a521d4e',
      amount: { amount: 1000, currency: 'JPY' },
      description: 'Order 1001',
      metadata: { orderId: '1001' },
    },
  },
  payEngine: {
    summary: 'PayEngine (pe-us): 150.00 USD',
    value: { account: 'pe-us', authorisationId: 'pay_4b8a9c602e5d', amount: { amount: 15000, currency: 'USD' }, description: 'Order 1002' },
  },
  stripe: {
    summary: 'Stripe (stripe-eu): 12.50 USD (the sandbox authorises unknown PaymentIntents in USD)',
    value: { account: 'stripe-eu', authorisationId: 'pi_3QfT8mJd2kLx9aZb0c1d', amount: { amount: 1250, currency: 'USD' } },
  },
  adyen: {
    summary: 'Adyen (adyen-eu): 25.00 EUR, answered pending and settled by its notification',
    value: { account: 'adyen-eu', authorisationId: 'QFQTPCQ8HXSKGK82', amount: { amount: 2500, currency: 'EUR' } },
  },
};

export const CAPTURE_EXAMPLE: JsonObject = {
  id: 'cap_01M93FS9FKD971JZ252FWXPE5R',
  account: 'po-jp',
  provider: 'paymentoptions',
  authorisationId: 'txn_7f3c9a521d4e',
  requestedAmount: { amount: 1000, currency: 'JPY' },
  capturedAmount: { amount: 1000, currency: 'JPY' },
  status: 'succeeded',
  providerReferences: { captureId: 'cpt_5d8b1f4a37e2' },
  card: { brand: 'MASTERCARD', bin: '520000', last4: '1005' },
  description: 'Order 1001',
  metadata: { orderId: '1001' },
  createdAt: '2026-12-05T16:14:52.403Z',
  updatedAt: '2026-12-05T16:14:52.822Z',
};

export const PENDING_CAPTURE_EXAMPLE: JsonObject = {
  id: 'cap_01M93FSA2APZY4XFNSKZJWZNPE',
  account: 'adyen-eu',
  provider: 'adyen',
  authorisationId: 'QFQTPCQ8HXSKGK82',
  requestedAmount: { amount: 2500, currency: 'EUR' },
  status: 'pending',
  providerReferences: { captureId: 'HVK6XR73NQ90QS6Z', other: { paymentPspReference: 'QFQTPCQ8HXSKGK82' } },
  createdAt: '2026-12-05T16:14:53.002Z',
  updatedAt: '2026-12-05T16:14:53.037Z',
};

/** Adds an example to a JSON response built by `jsonResponse`. */
export function withExample(response: JsonObject, example: JsonObject): JsonObject {
  const content = response['content'] as Record<string, JsonObject>;
  return { ...response, content: { 'application/json': { ...content['application/json'], example } } };
}
