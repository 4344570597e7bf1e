import { conformanceRequest, describeConformance } from '../conformance';
import { ASYNC_EXAMPLE_CARD, startAsyncExampleSandbox } from './async-example.sandbox';
import { asyncExamplePlugin } from './async-example.plugin';

const request = (authorisationId: string, amount = 15000) => conformanceRequest(authorisationId, { amount, currency: 'USD' });

// The kit's asynchronous mode: every result arrives by a batched webhook, signed per item.
describeConformance({
  plugin: asyncExamplePlugin,
  mode: 'async',
  startSandbox: ({ webhookUrl }) => startAsyncExampleSandbox({ webhookUrl }),
  // The sandbox's defaults (its accountSettings), pointed at the URL the kit gives.
  accountConfig: (baseUrl) => ({ baseUrl, apiKey: 'ak_sandbox', webhookSecret: 'whsec_async_example' }),
  scenarios: {
    success: request('pay-ok'),
    partial: request('pay-partial', 500),
    decline: request('decline-pay'),
    timeout: request('timeout-pay'),
    serverError: request('error-pay'),
    garbage: request('garbage-pay'),
  },
  cardNumbers: [ASYNC_EXAMPLE_CARD],
});
