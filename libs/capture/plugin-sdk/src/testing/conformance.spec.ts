import { fromDecimalString, toDecimalString } from '@capture-gateway/domain';
import { z } from 'zod';
import { definePlugin } from '../lib/plugin.contract';
import { secret } from '../lib/secrets';
import { createProviderHttp } from '../lib/http/provider-http.client';
import { invalidResponseOutcome, outcomeForHttpStatus } from '../lib/http/http-status.mapper';
import { describeConformance } from './conformance';
import { startSandboxServer } from './sandbox-server';

// The smallest honest plugin and sandbox: proves the kit passes a plugin that does it right.
const PAN = '4111111111111111';
const Answer = z.object({ ok: z.boolean(), amount: z.string(), currency: z.string(), code: z.string(), pan: z.string() });

const examplePlugin = definePlugin({
  id: 'example',
  displayName: 'Example',
  version: '0.0.0',
  configSchema: z.object({ baseUrl: z.url(), apiKey: secret() }),
  capabilities: { partialCapture: true, multipleCaptures: false, captureWithoutAmount: false, webhooks: false, currencies: 'any' },
  create(config, context) {
    const http = createProviderHttp({
      providerName: 'Example',
      baseUrl: config.baseUrl,
      timeoutMs: context.timeoutMs,
      headers: { 'x-key': config.apiKey },
      secrets: [config.apiKey],
      logger: context.logger,
    });
    return {
      async capture(request, call) {
        // Without `zeroAmount`, zero is refused before sending (the skeleton does this for HTTP plugins).
        if (request.amount?.amount === 0) {
          return {
            status: 'failed',
            error: { code: 'unsupported_by_provider', message: 'Example does not capture zero; nothing was sent' },
          };
        }
        const amount = request.amount ?? { amount: 0, currency: 'USD' };
        const answer = await http.post('/capture', { id: request.authorisationId, amount: toDecimalString(amount) }, call);
        if (answer.kind === 'no-answer') return answer.outcome;
        const body = Answer.safeParse(answer.body);
        if (!body.success)
          return answer.status < 300
            ? invalidResponseOutcome(answer.status, 'Example', 'not the documented body')
            : outcomeForHttpStatus(answer.status, 'Example');
        if (!body.data.ok)
          return { status: 'failed', error: { code: 'provider_declined', message: 'Declined', provider: { code: body.data.code } } };
        context.logger.info('captured', { last4: body.data.pan.slice(-4) });
        return {
          status: 'succeeded',
          capturedAmount: fromDecimalString(body.data.amount, body.data.currency),
          card: { last4: body.data.pan.slice(-4) },
        };
      },
    };
  },
});

const request = (authorisationId: string, amount = 1000) => ({
  captureId: 'cap_test0001',
  authorisationId,
  amount: { amount, currency: 'USD' },
  options: undefined,
});

describeConformance({
  plugin: examplePlugin,
  startSandbox: () =>
    startSandboxServer(({ body }) => {
      const { id, amount } = body as { id: string; amount: string };
      if (id === 'timeout') return { silence: true };
      if (id === 'error') return { status: 503, text: 'busy' };
      if (id === 'garbage') return { status: 200, text: '<html>' };
      return { status: 200, json: { ok: id !== 'decline', amount, currency: 'USD', code: id === 'decline' ? 'D05' : 'A00', pan: PAN } };
    }),
  accountConfig: (baseUrl) => ({ baseUrl, apiKey: 'sk_example_secret' }),
  scenarios: {
    success: request('ok'),
    partial: request('ok', 250),
    decline: request('decline'),
    timeout: request('timeout'),
    serverError: request('error'),
    garbage: request('garbage'),
  },
  cardNumbers: [PAN],
});
