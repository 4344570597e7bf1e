import { conformanceRequest, describeConformance } from '@capture-gateway/plugin-sdk/testing';
import { SANDBOX_CARD_NUMBER, startPaymentOptionsSandbox } from '../sandbox';
import { paymentOptionsPlugin } from './paymentoptions.plugin';

const request = (authorisationId: string, amount = 1000) => conformanceRequest(authorisationId, { amount, currency: 'JPY' });

describeConformance({
  plugin: paymentOptionsPlugin,
  startSandbox: async () => {
    const sandbox = await startPaymentOptionsSandbox();
    sandbox.authorise('txn-partial', { amount: 1000, currency: 'JPY' });
    return sandbox;
  },
  accountConfig: (baseUrl) => ({
    baseUrl,
    authorizationKey: 'sandbox-authorization-key',
    apiKey: 'sandbox-api-key',
    merchantId: 'sandbox-merchant',
    currency: 'JPY',
  }),
  scenarios: {
    success: request('txn-full'),
    partial: request('txn-partial', 250),
    decline: request('decline-txn'),
    timeout: request('timeout-txn'),
    serverError: request('error-txn'),
    garbage: request('garbage-txn'),
  },
  cardNumbers: [SANDBOX_CARD_NUMBER],
});
