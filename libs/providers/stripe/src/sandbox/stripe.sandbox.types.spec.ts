import type Stripe from 'stripe';
import { chargeObject, eventObject, paymentIntentObject, type SandboxIntent } from './stripe.sandbox.payloads';
import { startStripeSandbox } from './stripe.sandbox';

// The sandbox's bodies held to the official `stripe` package's types (23.1.0, API 2026-10-28.endive):
// `npx nx typecheck provider-stripe` fails if a field is missing, misnamed or of another type.
const intent: SandboxIntent = {
  id: 'pi_types',
  amount: 1_000,
  amountReceived: 1_000,
  currency: 'usd',
  status: 'succeeded',
  latestCharge: 'ch_types',
  lastPaymentError: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' },
  metadata: { order: '1001' },
  created: 1_700_000_000,
};
const typedIntent: Stripe.PaymentIntent = paymentIntentObject(intent);
const typedEvent: Omit<Stripe.Event, 'data' | 'type'> & { type: string } = eventObject('payment_intent.succeeded', typedIntent as never);
const typedCharge: Pick<Stripe.Charge, 'id' | 'object' | 'amount' | 'amount_captured' | 'captured' | 'currency' | 'metadata'> =
  chargeObject(intent);

describe('the sandbox’s bodies against the stripe package’s types', () => {
  it('answers a capture with a body of the type Stripe.PaymentIntent, as the typed builder made it', async () => {
    const sandbox = await startStripeSandbox();
    try {
      sandbox.authorise('pi_types', { amount: 1_000, currency: 'USD' });
      const answer = await fetch(`${sandbox.baseUrl}/v1/payment_intents/pi_types/capture`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sandbox.accountSettings.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'amount_to_capture=1000',
      });
      const body = (await answer.json()) as Stripe.PaymentIntent;
      expect(Object.keys(body).sort()).toEqual(Object.keys(typedIntent).sort());
      expect(body).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount_received: 1_000 });
      expect([typedEvent.object, typedCharge.object]).toEqual(['event', 'charge']);
    } finally {
      await sandbox.close();
    }
  });
});
