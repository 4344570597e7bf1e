import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('sends credentials, the request id and a user agent, and returns any status without throwing', async () => {
    reply = { status: 422, json: { error: 'nope' } };
    const result = await http().post('/capture', { a: 1 }, { requestId: 'req_1' });
    expect(result).toMatchObject({ kind: 'answer', status: 422, body: { error: 'nope' } });
    expect(seenHeaders).toMatchObject({
      authorization: 'Basic sk_live_abcdef',
      'x-request-id': 'req_1',
      'user-agent': expect.stringMatching(/^capture-gateway\/\d+\.\d+\.\d+$/),
    });
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

  it("stops at the caller's abort: unknown, sent once, never retried", async () => {
    reply = { silence: true };
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 100);
    const result = await http().post('/capture', {}, { signal: caller.signal });
    expect(result).toMatchObject({ kind: 'no-answer', outcome: { status: 'unknown', error: { code: 'provider_unavailable' } } });
    expect(calls).toBe(1);
  });

  it("sends one header per name whatever its case, the call's own winning", async () => {
    reply = { status: 200, json: {} };
    await http().post(
      '/capture',
      { a: 1 },
      { headers: { 'User-Agent': 'acme-plugin/1', 'Content-Type': 'application/json; charset=utf-8' } },
    );
    expect(seenHeaders).toMatchObject({ 'user-agent': 'acme-plugin/1', 'content-type': 'application/json; charset=utf-8' });
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

  it('sends nothing once closed: a call then is failed, and the server never sees it', async () => {
    const closed = http();
    await closed.close();
    reply = { status: 200, json: {} };
    const result = await closed.post('/capture', {});
    expect(result).toMatchObject({ kind: 'no-answer', outcome: { status: 'failed', error: { code: 'provider_unavailable' } } });
    expect(calls).toBe(0);
  });

  it('reads a body up to the cap', async () => {
    reply = { status: 200, json: { pad: 'x'.repeat(900) } };
    const result = await createProviderHttp({
      providerName: 'Acme',
      baseUrl: server.baseUrl,
      timeoutMs: 5_000,
      secrets: [],
      maxResponseBytes: 1_000,
    }).post('/capture', {});
    expect(result).toMatchObject({ kind: 'answer', status: 200, body: { pad: 'x'.repeat(900) } });
  });

  it('cuts off a declared body larger than the cap as an invalid answer, unknown', async () => {
    reply = { status: 200, json: { pad: 'x'.repeat(2_000) } };
    const result = await createProviderHttp({
      providerName: 'Acme',
      baseUrl: server.baseUrl,
      timeoutMs: 5_000,
      secrets: [],
      maxResponseBytes: 1_000,
    }).post('/capture', {});
    expect(result).toMatchObject({ kind: 'no-answer', outcome: { status: 'unknown', error: { code: 'provider_response_invalid' } } });
  });

  it('stops reading a streamed answer past the 1 MB cap: unknown, provider_response_invalid, never retried', async () => {
    // A sandbox that streams (no content-length) until the client lets go: the call returns only if reading stops at the cap.
    let requests = 0;
    let sentBytes = 0;
    const streaming = createServer((_request, response) => {
      requests++;
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        let room = true;
        while (!response.destroyed && room) {
          sentBytes += chunk.length;
          room = response.write(chunk);
        }
        if (!response.destroyed) response.once('drain', pump);
      };
      response.write('{"pad":"');
      pump();
    });
    await new Promise<void>((resolve) => streaming.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = streaming.address() as AddressInfo;
      const result = await createProviderHttp({
        providerName: 'Acme',
        baseUrl: `http://127.0.0.1:${port}`,
        timeoutMs: 20_000,
        secrets: [],
      }).post('/capture', {});
      expect(result).toMatchObject({
        kind: 'no-answer',
        outcome: {
          status: 'unknown',
          error: { code: 'provider_response_invalid', message: expect.stringContaining('larger than 1048576 bytes') },
        },
      });
      expect(requests).toBe(1);
      expect(sentBytes).toBeGreaterThan(1024 * 1024);
    } finally {
      streaming.closeAllConnections();
      await new Promise((resolve) => streaming.close(resolve));
    }
  }, 15_000);

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
