import { conformanceRequest, describeConformance } from '@capture-gateway/plugin-sdk/testing';
import { startPayEngineSandbox } from '../sandbox';
import { payEnginePlugin } from './payengine.plugin';

const request = (authorisationId: string, amount = 15_000) => conformanceRequest(authorisationId, { amount, currency: 'USD' });

describeConformance({
  plugin: payEnginePlugin,
  async startSandbox() {
    const sandbox = await startPayEngineSandbox();
    // Authorised for more than the partial scenario asks, so it really is a partial capture.
    sandbox.authorise('partial-0001', { amount: 10_000, currency: 'USD' });
    return sandbox;
  },
  accountConfig: (baseUrl) => ({ baseUrl, secretKey: 'sandbox-secret-key', webhookSecret: 'whsec_conformance_secret' }),
  scenarios: {
    success: request('ok-0001'),
    partial: request('partial-0001', 2_550),
    decline: request('decline-0001'),
    timeout: request('timeout-0001'),
    serverError: request('error-0001'),
    garbage: request('garbage-0001'),
  },
  // The sandbox only ever sends "1111"; this is the test card it stands for.
  cardNumbers: ['4111111111111111'],
});
