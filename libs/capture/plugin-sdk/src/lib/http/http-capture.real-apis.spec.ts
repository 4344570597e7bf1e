import { z } from 'zod';
import { type SandboxReply, type SandboxRequest, createMemoryLogger, startSandboxServer } from '../../testing';
import type { CaptureCheckRequest, CaptureProvider, ProviderCaptureRequest } from '../plugin.contract';
import { pluginFromModule } from '../plugin.guard';
import { secret } from '../secrets';
import { defineHttpCapturePlugin } from './http-capture.plugin';

// The skeleton's 1.4.0 additions for real APIs, as a Stripe-like provider uses them: the id in the
// path, an idempotency key from the capture, a form body, a status read on the same footing.
const Intent = z.object({ status: z.enum(['succeeded', 'requires_capture']), amount_received: z.int(), currency: z.string() });
const ErrorBody = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional(), state: z.string().optional() }),
});

const formPlugin = defineHttpCapturePlugin({
  id: 'formy',
  displayName: 'Formy',
  version: '0.0.0',
  configSchema: z.object({ baseUrl: z.url(), apiKey: secret() }),
  capabilities: { partialCapture: true, multipleCaptures: true, captureWithoutAmount: true, webhooks: false, currencies: 'any' },
  path: (_request, { ids }) => `v1/intents/${ids.authorisationId}/capture`,
  maxPathIdLength: 40,
  headers: (config) => ({ authorization: `Bearer ${config.apiKey}` }),
  captureHeaders: (request) => ({ 'x-final': String(request.final !== false) }),
  idempotency: { header: 'Idempotency-Key', windowSeconds: 86_400 },
  bodyEncoding: 'form',
  toWire: (request) => ({
    amount_to_capture: request.amount?.amount,
    metadata: request.metadata,
    expand: ['latest_charge'],
    ...(request.final === false ? { final_capture: false } : {}),
  }),
  answerSchema: Intent,
  readAnswer: (body, { money }) => ({
    status: 'succeeded',
    capturedAmount: money.fromMinorUnitInteger(body.amount_received, body.currency),
  }),
  errorSchema: ErrorBody,
  readError: ({ error }) => ({
    code: error.code,
    message: error.message,
    ...(error.state === 'succeeded' ? { errorCode: 'already_captured' as const } : {}),
  }),
  errorCodes: { unexpected_state: 'authorisation_not_found' },
  errorBodyAlways: true,
  statusCheck: {
    path: (_request, { ids }) => `v1/intents/${ids.authorisationId}`,
    headers: (request) => ({ 'x-check-of': request.captureId }),
    schema: Intent,
    read: (body, { money }) =>
      body.status === 'succeeded'
        ? { status: 'succeeded', capturedAmount: money.fromMinorUnitInteger(body.amount_received, body.currency) }
        : body.amount_received === 0
          ? { status: 'not_received', message: 'the intent still awaits its capture' }
          : { status: 'cannot_tell', message: 'part of it was captured' },
  },
});

const capture = (authorisationId: string, extra: Partial<ProviderCaptureRequest> = {}): ProviderCaptureRequest => ({
  captureId: 'cap_real0001',
  authorisationId,
  amount: { amount: 1500, currency: 'EUR' },
  options: undefined,
  ...extra,
});
const check = (authorisationId: string): CaptureCheckRequest => ({
  captureId: 'cap_real0001',
  authorisationId,
  amount: { amount: 1500, currency: 'EUR' },
});

describe('the skeleton fits real APIs (1.4.0)', () => {
  const requests: SandboxRequest[] = [];
  let reply: SandboxReply = { status: 500 };
  let server: Awaited<ReturnType<typeof startSandboxServer>>;
  let provider: CaptureProvider;
  const logger = createMemoryLogger();

  beforeAll(async () => {
    server = await startSandboxServer((request) => {
      requests.push(request);
      return reply;
    });
    provider = formPlugin.create(formPlugin.configSchema.parse({ baseUrl: server.baseUrl, apiKey: 'sk_real_secret_0123' }), {
      accountId: 'formy',
      logger,
      timeoutMs: 2_000,
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    requests.length = 0;
    reply = { status: 200, json: { status: 'succeeded', amount_received: 1500, currency: 'EUR' } };
  });

  it('puts the id in the path, percent-encoded, with the request’s headers and the idempotency key', async () => {
    const outcome = await provider.capture(capture('pi_3Ab%c+d:e'));
    expect(outcome).toMatchObject({ status: 'succeeded', capturedAmount: { amount: 1500, currency: 'EUR' } });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.path).toBe('/v1/intents/pi_3Ab%25c%2Bd%3Ae/capture');
    expect(requests[0]?.headers).toMatchObject({
      authorization: 'Bearer sk_real_secret_0123',
      'idempotency-key': 'capture-gateway-cap_real0001',
      'x-final': 'true',
    });
  });

  it('sends the same idempotency key for every attempt of one capture, and another for another capture', async () => {
    await provider.capture(capture('pi_1'));
    await provider.capture(capture('pi_1'));
    await provider.capture(capture('pi_1', { captureId: 'cap_real0002' }));
    expect(requests.map((r) => r.headers['idempotency-key'])).toEqual([
      'capture-gateway-cap_real0001',
      'capture-gateway-cap_real0001',
      'capture-gateway-cap_real0002',
    ]);
  });

  it('writes a form body: nested keys in brackets, arrays by index, final_capture only when not final', async () => {
    await provider.capture(capture('pi_1', { metadata: { order: '1001', 'note x': 'a&b=c' }, final: false }));
    expect(requests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const sent = requests[0]?.rawBody.toString('utf8') ?? '';
    expect(sent).toBe('amount_to_capture=1500&metadata[order]=1001&metadata[note+x]=a%26b%3Dc&expand[0]=latest_charge&final_capture=false');
    expect(Object.fromEntries(new URLSearchParams(sent))).toMatchObject({ 'metadata[note x]': 'a&b=c' });
    expect(requests[0]?.headers['x-final']).toBe('false');
  });

  it.each([
    ['empty', ''],
    ['with a slash', 'pi_1/refunds'],
    ['with ..', '..'],
    ['with a space', 'pi 1'],
    ['with a control character', 'pi_1\u0000'],
    ['longer than the provider allows', `pi_${'x'.repeat(40)}`],
  ])('refuses an authorisation id %s before sending anything', async (_, id) => {
    const outcome = await provider.capture(capture(id));
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { code: 'invalid_request', message: expect.stringContaining('authorisationId') },
    });
    expect(requests).toEqual([]);
  });

  it('reads an error by the code the plugin chose over its table (Stripe’s state-dependent codes)', async () => {
    reply = { status: 400, json: { error: { code: 'unexpected_state', message: 'already captured', state: 'succeeded' } } };
    expect(await provider.capture(capture('pi_1'))).toMatchObject({ status: 'failed', error: { code: 'already_captured' } });
    reply = { status: 400, json: { error: { code: 'unexpected_state', message: 'canceled', state: 'canceled' } } };
    expect(await provider.capture(capture('pi_1'))).toMatchObject({ status: 'failed', error: { code: 'authorisation_not_found' } });
  });

  it('takes a 4xx without the provider’s error body for someone else’s answer: unknown, never read by its status', async () => {
    reply = { status: 400, text: '<html><body>Bad Request</body></html>', headers: { 'content-type': 'text/html' } };
    expect(await provider.capture(capture('pi_1'))).toMatchObject({ status: 'unknown', error: { code: 'provider_response_invalid' } });
    reply = { status: 401, json: { message: 'not the provider' } };
    expect(await provider.capture(capture('pi_1'))).toMatchObject({ status: 'unknown', error: { code: 'provider_response_invalid' } });
    reply = { status: 401, json: { error: { code: 'bad_key' } } };
    expect(await provider.capture(capture('pi_1'))).toMatchObject({ status: 'failed', error: { code: 'provider_auth_failed' } });
  });

  it('checks a capture on the same footing: the id in the path, the request’s headers, no body', async () => {
    const found = await provider.checkCapture?.(check('pi_a b'));
    expect(found).toMatchObject({ status: 'cannot_tell', message: expect.stringContaining('nothing was sent') });
    expect(requests).toEqual([]);
    expect(await provider.checkCapture?.(check('pi_9'))).toMatchObject({ status: 'found', outcome: { status: 'succeeded' } });
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/v1/intents/pi_9', headers: { 'x-check-of': 'cap_real0001' } });
    expect(requests[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('lets a status answer say not_received or cannot_tell, with its reason', async () => {
    reply = { status: 200, json: { status: 'requires_capture', amount_received: 0, currency: 'EUR' } };
    expect(await provider.checkCapture?.(check('pi_9'))).toEqual({
      status: 'not_received',
      message: 'the intent still awaits its capture',
    });
    reply = { status: 200, json: { status: 'requires_capture', amount_received: 500, currency: 'EUR' } };
    expect(await provider.checkCapture?.(check('pi_9'))).toEqual({
      status: 'cannot_tell',
      message: "Formy's status answer: part of it was captured",
    });
  });

  it('declares idempotentCapture, with its window, from the idempotency part alone; the loader accepts it', () => {
    expect(formPlugin.capabilities.idempotentCapture).toEqual({ windowSeconds: 86_400 });
    expect(pluginFromModule({ default: formPlugin }).capabilities.idempotentCapture).toEqual({ windowSeconds: 86_400 });
    const wrong = { ...formPlugin, capabilities: { ...formPlugin.capabilities, idempotentCapture: { windowSeconds: 0 } } };
    expect(() => pluginFromModule({ default: wrong })).toThrow('capabilities.idempotentCapture');
  });

  it('keeps the secret out of what it logs', () => {
    expect(logger.lines.join('\n')).not.toContain('sk_real_secret_0123');
  });
});
