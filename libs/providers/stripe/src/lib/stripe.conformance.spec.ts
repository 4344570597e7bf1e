import { conformanceRequest, describeConformance } from '@capture-gateway/plugin-sdk/testing';
import { startStripeSandbox } from '../sandbox';
import { stripePlugin } from './stripe.plugin';

const request = (authorisationId: string, amount = 15_000) => conformanceRequest(authorisationId, { amount, currency: 'USD' });

describeConformance({
  plugin: stripePlugin,
  async startSandbox() {
    const sandbox = await startStripeSandbox();
    // Authorised for more than the partial scenario asks, so it really is a partial capture.
    sandbox.authorise('pi_partial0001', { amount: 10_000, currency: 'USD' });
    return sandbox;
  },
  accountConfig: (baseUrl) => ({ baseUrl, secretKey: 'sk_test_sandbox0123456789abcdef', webhookSecret: 'whsec_conformance0123456789' }),
  scenarios: {
    success: request('pi_ok0001'),
    partial: request('pi_partial0001', 2_550),
    decline: request('decline-0001'),
    timeout: request('timeout-0001'),
    serverError: request('error-0001'),
    garbage: request('garbage-0001'),
  },
  // The sandbox's charges are Stripe's test Visa; only its last four is ever sent.
  cardNumbers: ['4242424242424242'],
});
