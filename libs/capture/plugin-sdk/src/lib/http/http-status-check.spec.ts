import { z } from 'zod';
import { type ScriptedProvider, createMemoryLogger, startSandboxServer, startScriptedProvider } from '../../testing';
import type { CaptureCheckRequest, CaptureProvider } from '../plugin.contract';
import { pluginFromModule } from '../plugin.guard';
import { secret } from '../secrets';
import { defineHttpCapturePlugin } from './http-capture.plugin';

const SECRET = 'sk_status_0123456789';
const PAN = '4111111111111111';
const Capture = z.object({
  state: z.enum(['done', 'refused', 'working', 'mystery']),
  amount: z.int(),
  currency: z.string(),
  code: z.string(),
});
const ErrorBody = z.object({ code: z.string(), message: z.string().optional() });

const spec = {
  id: 'acme',
  displayName: 'Acme',
  version: '0.0.0',
  configSchema: z.object({ baseUrl: z.url(), apiKey: secret() }),
  capabilities: {
    partialCapture: false,
    multipleCaptures: false,
    captureWithoutAmount: false,
    webhooks: false,
    currencies: 'any' as const,
  },
  path: 'captures',
  headers: (config: { apiKey: string }) => ({ 'x-key': config.apiKey }),
  toWire: () => ({}),
  answerSchema: Capture,
  readAnswer: () => ({ status: 'pending' as const }),
  errorSchema: ErrorBody,
  readError: (body: z.infer<typeof ErrorBody>) => body,
  errorCodes: { DECLINED: 'provider_declined' as const, GONE: 'authorisation_not_found' as const },
};

const acme = defineHttpCapturePlugin({
  ...spec,
  statusCheck: {
    path: (request) => `captures/${encodeURIComponent(request.captureId)}`,
    schema: Capture,
    read: (body, { money }) => {
      const amount = money.fromMinorUnitInteger(body.amount, body.currency);
      if (body.state === 'mystery') return undefined;
      if (body.state === 'working') return { status: 'pending' };
      if (body.state === 'refused') return { status: 'declined', provider: { code: body.code, message: `card ${PAN}` } };
      return { status: 'succeeded', capturedAmount: amount, card: { last4: PAN.slice(-4) } };
    },
    notReceivedStatus: 404,
    notReceivedCodes: ['NO_SUCH_CAPTURE'],
  },
});

const request = { captureId: 'cap_1/x', authorisationId: 'auth-1', amount: { amount: 1500, currency: 'USD' } };
const body = (state: string, amount = 1500) => ({ status: 200, json: { state, amount, currency: 'USD', code: 'DECLINED' } });

describe('the skeleton’s status check', () => {
  let scripted: ScriptedProvider;
  beforeAll(async () => (scripted = await startScriptedProvider(acme, (baseUrl) => ({ baseUrl, apiKey: SECRET }))));
  afterAll(() => scripted.close());
  beforeEach(() => scripted.received.splice(0));

  it('declares statusCheck only when the spec has the part, and the loader accepts it', () => {
    expect(acme.capabilities.statusCheck).toBe(true);
    expect(pluginFromModule({ default: acme })).toBe(acme);
    const without = defineHttpCapturePlugin(spec);
    expect(without.capabilities.statusCheck).toBe(false);
    expect(without.create(without.configSchema.parse({ baseUrl: 'https://x.test', apiKey: SECRET }), ctx()).checkCapture).toBeUndefined();
  });

  it('makes one GET to the path it is given, and reads a 2xx by the capture rules: found', async () => {
    expect(await scripted.check(body('done'), request)).toEqual({
      status: 'found',
      outcome: { status: 'succeeded', capturedAmount: request.amount, references: {}, card: { last4: '1111' } },
    });
    expect(scripted.received).toEqual(['GET /captures/cap_1%2Fx']);
  });

  it('maps a refusal through the codes table, keeps a pending, and never lets another amount pass as a success', async () => {
    expect(await scripted.check(body('refused'), request)).toMatchObject({
      status: 'found',
      outcome: { status: 'failed', error: { code: 'provider_declined', provider: { code: 'DECLINED', message: 'card 411111******1111' } } },
    });
    expect(await scripted.check(body('working'), request)).toMatchObject({ status: 'found', outcome: { status: 'pending' } });
    expect(await scripted.check(body('done', 999), request)).toMatchObject({
      status: 'found',
      outcome: { status: 'unknown', error: { code: 'amount_mismatch' } },
    });
  });

  it('says not_received only for the declared status with the provider’s own code', async () => {
    expect(await scripted.check({ status: 404, json: { code: 'NO_SUCH_CAPTURE' } }, request)).toMatchObject({ status: 'not_received' });
    // A bare 404 is a wrong baseUrl or a proxy; another code is another story: neither is certain.
    expect(await scripted.check({ status: 404, text: 'Not Found' }, request)).toMatchObject({ status: 'cannot_tell' });
    expect(await scripted.check({ status: 404, json: { code: 'GONE' } }, request)).toMatchObject({ status: 'cannot_tell' });
    expect(await scripted.check({ status: 410, json: { code: 'NO_SUCH_CAPTURE' } }, request)).toMatchObject({ status: 'cannot_tell' });
  });

  it('cannot tell from a 5xx, a 401, an unreadable 2xx, or a body that does not say', async () => {
    for (const reply of [
      { status: 503, json: { code: 'NO_SUCH_CAPTURE' } },
      { status: 401, json: { code: 'BAD_KEY', message: `key ${SECRET} unknown` } },
      { status: 200, text: '<html>' },
      { status: 200, json: { state: 'done' } },
      { status: 200, json: { state: 'done', amount: 15, currency: 'XX' } },
      body('mystery'),
    ]) {
      const check = await scripted.check(reply, request);
      expect(check).toMatchObject({ status: 'cannot_tell', message: expect.stringContaining('Acme') });
      expect(JSON.stringify(check)).not.toContain(SECRET);
    }
    expect(scripted.received).toHaveLength(6);
  });

  it('cannot tell when the provider does not answer in time, or cannot be reached, and tries once', async () => {
    let calls = 0;
    const silent = await startSandboxServer(() => (calls++, { silence: true }));
    // Long enough for the request to arrive on a loaded machine, so "once" is seen.
    const timedOut = await check(provider(silent.baseUrl, 1_000), request);
    await silent.close();
    expect(timedOut).toEqual({ status: 'cannot_tell', message: 'Acme did not answer the status check in time' });
    expect(calls).toBe(1);
    expect(await check(provider(silent.baseUrl), request)).toMatchObject({ status: 'cannot_tell' });
  });

  it('cannot tell, and sends nothing, when the path has nothing to look the capture up by', async () => {
    const byReference = defineHttpCapturePlugin({
      ...spec,
      statusCheck: {
        path: (checked) => checked.providerCaptureId && `captures/${checked.providerCaptureId}`,
        schema: Capture,
        read: () => undefined,
      },
    });
    let calls = 0;
    const server = await startSandboxServer(() => (calls++, { status: 200, json: {} }));
    const made = byReference.create(byReference.configSchema.parse({ baseUrl: server.baseUrl, apiKey: SECRET }), ctx());
    expect(await check(made, request)).toMatchObject({
      status: 'cannot_tell',
      message: expect.stringContaining('nothing to look it up by'),
    });
    await server.close();
    expect(calls).toBe(0);
  });

  it('never throws, even when the plugin’s own functions do', async () => {
    const broken = defineHttpCapturePlugin({
      ...spec,
      statusCheck: {
        path: () => 'x',
        schema: z.unknown(),
        read: () => {
          throw new TypeError('bug');
        },
      },
    });
    const logger = createMemoryLogger();
    const server = await startSandboxServer(() => ({ status: 200, json: {} }));
    const made = broken.create(broken.configSchema.parse({ baseUrl: server.baseUrl, apiKey: SECRET }), { ...ctx(), logger });
    expect(await check(made, request)).toMatchObject({ status: 'cannot_tell' });
    await server.close();
    expect(logger.lines.some((line) => line.includes('could not make a status check'))).toBe(true);
  });

  it('logs one line per check, without the secret or a card number', () => {
    const lines = scripted.logger.lines.filter((line) => line.includes('Acme status check answered'));
    expect(lines.length).toBeGreaterThan(5);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ provider: 'acme', accountId: 'scripted', captureId: 'cap_1/x', check: 'found' });
    expect(scripted.logger.lines.join('\n')).not.toMatch(new RegExp(`${SECRET}|${PAN}`));
  });
});

function ctx() {
  return { accountId: 'spec', logger: createMemoryLogger(), timeoutMs: 5_000 };
}

function provider(baseUrl: string, timeoutMs = 5_000) {
  return acme.create(acme.configSchema.parse({ baseUrl, apiKey: SECRET }), { ...ctx(), timeoutMs });
}

function check(made: CaptureProvider, checked: CaptureCheckRequest) {
  if (!made.checkCapture) throw new Error('no checkCapture');
  return made.checkCapture(checked);
}
