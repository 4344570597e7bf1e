import { conformanceRequest, describeConformance } from '../conformance';
import { STATUS_CHECK_EXAMPLE_CARD, startStatusCheckExampleSandbox } from './status-check-example.sandbox';
import { statusCheckExamplePlugin } from './status-check-example.plugin';

const request = (authorisationId: string, amount = 15000) => conformanceRequest(authorisationId, { amount, currency: 'USD' });

// The kit with a plugin that declares statusCheck: its checkCapture is checked after the scenarios.
describeConformance({
  plugin: statusCheckExamplePlugin,
  startSandbox: (options) => startStatusCheckExampleSandbox(options),
  accountConfig: (baseUrl) => ({ baseUrl, apiKey: 'sc_sandbox' }),
  scenarios: {
    success: request('pay-ok'),
    partial: request('pay-partial', 500),
    decline: request('decline-pay'),
    timeout: request('timeout-pay'),
    serverError: request('error-pay'),
    garbage: request('garbage-pay'),
  },
  cardNumbers: [STATUS_CHECK_EXAMPLE_CARD],
});
