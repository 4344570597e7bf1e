import { startSandboxServer, type RunningServer, type SandboxReply, createMemoryLogger } from '../../testing';
import { outcomeForHttpStatus, invalidResponseOutcome } from './http-status.mapper';
import { createProviderHttp } from './provider-http.client';

describe('createProviderHttp', () => {
  let server: RunningServer;
  let reply: SandboxReply;
  let calls = 0;
  let seenHeaders: Record<string, unknown> = {};
  const logger = createMemoryLogger();

  beforeAll(async () => {
    server = await startSandboxServer((request) => {
      calls++;
      seenHeaders = request.headers;
      return reply;
    });
  });
  afterAll(() => server.close());
  beforeEach(() => (calls = 0));

  // Short only where the timeout itself is under test: a loaded machine can be slow to answer.
  const http = (timeoutMs = 5_000) =>
    createProviderHttp({
      providerName: 'Acme',
      baseUrl: `${server.baseUrl}/base`,
      timeoutMs,
      headers: { authorization: 'Basic sk_live_abcdef' },
      secrets: ['sk_live_abcdef'],
      logger,
    });

  it('sends credentials and the request id, and returns any status without throwing', async () => {
    reply = { status: 422, json: { error: 'nope' } };
    const result = await http().post('/capture', { a: 1 }, { requestId: 'req_1' });
    expect(result).toMatchObject({ kind: 'answer', status: 422, body: { error: 'nope' } });
    expect(seenHeaders).toMatchObject({ authorization: 'Basic sk_live_abcdef', 'x-request-id': 'req_1' });
  });

  it('returns a non-JSON body as text with secrets and card numbers redacted', async () => {
    reply = { status: 200, text: 'oops sk_live_abcdef 5200000000001005' };
    const result = await http().post('/capture', {});
    expect(result).toMatchObject({ kind: 'answer', body: undefined, text: 'oops [REDACTED] 520000******1005' });
  });

  it('redacts a secret before cutting the text short, so no part of it is left at the cut', async () => {
    reply = { status: 400, text: `${'x'.repeat(495)}sk_live_abcdef` };
    const result = await http().post('/capture', {});
    expect(result).toMatchObject({ kind: 'answer', text: `${'x'.repeat(495)}[REDA` });
  });

  it('times out once and never retries the POST', async () => {
    reply = { silence: true };
    const result = await http(200).post('/capture', {});
    expect(result).toMatchObject({ kind: 'no-answer', outcome: { status: 'unknown', error: { code: 'provider_timeout' } } });
    expect(calls).toBe(1);
  });

  it('treats a connection dropped after sending as unknown, and never retries it', async () => {
    reply = { hangUp: true };
    const result = await http().post('/capture', {});
    expect(result).toMatchObject({ kind: 'no-answer', outcome: { status: 'unknown', error: { code: 'provider_unavailable' } } });
    expect(calls).toBe(1);
  });

  it('treats a refused connection as failed: nothing was sent', async () => {
    const gone = await startSandboxServer(() => ({ status: 200 }));
    await gone.close();
    const result = await createProviderHttp({ providerName: 'Acme', baseUrl: gone.baseUrl, timeoutMs: 200, secrets: [] }).post('/x', {});
    expect(result).toMatchObject({ kind: 'no-answer', outcome: { status: 'failed', error: { code: 'provider_unavailable' } } });
  });

  it('keeps credentials out of its log lines', () => {
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.join('\n')).not.toContain('sk_live_abcdef');
  });
});

describe('outcomeForHttpStatus', () => {
  it.each([
    [401, 'failed', 'provider_auth_failed'],
    [403, 'failed', 'provider_auth_failed'],
    [404, 'failed', 'authorisation_not_found'],
    [409, 'failed', 'already_captured'],
    [429, 'failed', 'provider_unavailable'],
    [400, 'failed', 'provider_declined'],
    [500, 'unknown', 'provider_unavailable'],
    [503, 'unknown', 'provider_unavailable'],
  ])('HTTP %i is %s with %s', (status, outcome, code) => {
    expect(outcomeForHttpStatus(status, 'Acme')).toMatchObject({ status: outcome, error: { code } });
  });

  it("keeps the provider's own code and message", () => {
    expect(outcomeForHttpStatus(402, 'Acme', { code: 'D01', message: 'Insufficient funds' })).toMatchObject({
      error: { provider: { code: 'D01', message: 'Insufficient funds' } },
    });
  });

  it('calls an unreadable body after a 2xx unknown, after a 4xx failed', () => {
    expect(invalidResponseOutcome(201, 'Acme', 'not JSON').status).toBe('unknown');
    expect(invalidResponseOutcome(400, 'Acme', 'not JSON').status).toBe('failed');
  });
});
