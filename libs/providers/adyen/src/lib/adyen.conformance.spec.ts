import { conformanceRequest, describeConformance } from '@capture-gateway/plugin-sdk/testing';
import { SANDBOX_API_KEY, SANDBOX_HMAC_KEY, SANDBOX_MERCHANT_ACCOUNT, startAdyenSandbox } from '../sandbox';
import { adyenPlugin } from './adyen.plugin';

const request = (authorisationId: string, amount = 15_000) => conformanceRequest(authorisationId, { amount, currency: 'EUR' });

// Asynchronous mode: every capture answers "received", and the sandbox's signed CAPTURE notification settles it.
describeConformance({
  plugin: adyenPlugin,
  mode: 'async',
  async startSandbox({ webhookUrl }) {
    const sandbox = await startAdyenSandbox({ webhookUrl });
    // Authorised for more than the partial scenario asks, so it really is a partial capture.
    sandbox.authorise('8835511210681642', { amount: 10_000, currency: 'EUR' });
    return sandbox;
  },
  accountConfig: (baseUrl) => ({ baseUrl, apiKey: SANDBOX_API_KEY, merchantAccount: SANDBOX_MERCHANT_ACCOUNT, hmacKey: SANDBOX_HMAC_KEY }),
  scenarios: {
    success: request('8835511210681641'),
    partial: request('8835511210681642', 2_550),
    decline: request('decline-8835511210681643'),
    timeout: request('timeout-8835511210681644'),
    serverError: request('error-8835511210681645'),
    garbage: request('garbage-8835511210681646'),
  },
  // The sandbox's notifications name the card's brand only; no card number is ever sent.
  cardNumbers: ['4111111111111111'],
});
