import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CaptureApiError } from './capture-api.error.js';
import { createCaptureClient } from './capture-client.js';
import { backoffDelay } from './create-retry.js';

type Reply = { status: number; body?: unknown } | 'silence';

describe('createCaptureClient', () => {
  let server: Server;
  let baseUrl: string;
  let replies: Reply[] = [];
  let seen: IncomingMessage[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      seen.push(req);
      const reply = replies.shift() ?? { status: 500 };
      req.resume();
      if (reply === 'silence') return;
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body ?? {}));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  beforeEach(() => {
    replies = [];
    seen = [];
  });

  const client = (limit = 3) =>
    createCaptureClient({ baseUrl, apiKey: 'k', timeout: 300, retry: { limit, baseDelayMs: 1, maxDelayMs: 5 } });
  const request = { account: 'acme', authorisationId: 'auth_1', amount: { amount: 100, currency: 'USD' } };
  const ok = { status: 201, body: { id: 'cap_0123456789', status: 'succeeded' } };
  const keys = () => seen.map((r) => r.headers['idempotency-key']);

  it('makes up an idempotency key when the caller gives none', async () => {
    replies = [ok];
    await client().captures.create(request);
    expect(keys()[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries a 5xx, a timeout and an in-flight 409 with the same key until it gets an answer', async () => {
    replies = [
      { status: 503, body: { error: { code: 'service_unavailable', message: 'x' } } },
      'silence',
      { status: 409, body: { error: { code: 'idempotency_request_in_progress', message: 'x' } } },
      ok,
    ];
    const capture = await client().captures.create(request, { idempotencyKey: 'key-1' });
    expect(capture.id).toBe('cap_0123456789');
    expect(keys()).toEqual(['key-1', 'key-1', 'key-1', 'key-1']);
  });

  it('never retries a 4xx answer', async () => {
    replies = [
      { status: 402, body: { error: { code: 'provider_declined', message: 'no', provider: { code: '05' } }, requestId: 'req_9' } },
      ok,
    ];
    const error = await client()
      .captures.create(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaptureApiError);
    expect(error).toMatchObject({ code: 'provider_declined', status: 402, requestId: 'req_9', provider: { code: '05' } });
    expect(seen).toHaveLength(1);
  });

  it('never retries an already_captured conflict, only the in-flight one', async () => {
    replies = [{ status: 409, body: { error: { code: 'already_captured', message: 'x' } } }, ok];
    await expect(client().captures.create(request)).rejects.toMatchObject({ code: 'already_captured' });
    expect(seen).toHaveLength(1);
  });

  it('gives up after its bound', async () => {
    replies = [{ status: 502 }, { status: 502 }, { status: 502 }, ok];
    await expect(client(2).captures.create(request)).rejects.toMatchObject({ code: 'unexpected_response', status: 502 });
    expect(seen).toHaveLength(3);
  });

  it('reports an unreachable service as network_error', async () => {
    const gone = createCaptureClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k', retry: { limit: 0 } });
    await expect(gone.captures.get('cap_0123456789')).rejects.toMatchObject({ code: 'network_error' });
  });

  it('walks every page with listAll', async () => {
    replies = [
      { status: 200, body: { data: [{ id: 'cap_a0000000' }, { id: 'cap_b0000000' }], nextCursor: 'c1' } },
      { status: 200, body: { data: [{ id: 'cap_c0000000' }], nextCursor: null } },
    ];
    const ids: string[] = [];
    for await (const capture of client().captures.listAll({ account: 'acme', limit: 2 })) ids.push(capture.id);
    expect(ids).toEqual(['cap_a0000000', 'cap_b0000000', 'cap_c0000000']);
    expect(seen.map((r) => r.url)).toEqual(['/v1/captures?account=acme&limit=2', '/v1/captures?account=acme&limit=2&cursor=c1']);
    expect(seen[0]?.headers.authorization).toBe('Bearer k');
  });
});

describe('backoffDelay', () => {
  it('grows exponentially and stays under the cap', () => {
    const policy = { limit: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});
