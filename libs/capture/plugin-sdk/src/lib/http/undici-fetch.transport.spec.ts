import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { transportFailureOutcome } from './transport-failure';
import { createUndiciFetch } from './undici-fetch.transport';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

describe('createUndiciFetch', () => {
  let handler: Handler;
  let baseUrl: string;
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  server.on('connection', (socket) => sockets.add(socket));
  const transport = createUndiciFetch({ maxResponseBytes: 1_000 });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await transport.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => sockets.clear());

  it("sends the request's method, path, query, headers and body, and answers status, headers and body", async () => {
    let seen: { method?: string; url?: string; headers?: object; body?: string } = {};
    handler = (request, body, response) => {
      seen = { method: request.method, url: request.url, headers: request.headers, body };
      response.writeHead(201, [
        ['content-type', 'application/json'],
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
      ]);
      response.end('{"ok":true}');
    };
    const answer = await transport.fetch(
      new Request(`${baseUrl}/v1/captures?x=1`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: '{"amount":1050}',
      }),
    );
    expect(seen).toMatchObject({
      method: 'POST',
      url: '/v1/captures?x=1',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"amount":1050}',
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await answer.json()).toEqual({ ok: true });
  });

  it('keeps sockets alive across calls', async () => {
    handler = (_request, _body, response) => response.end('{}');
    const fresh = createUndiciFetch({ maxResponseBytes: 1_000 });
    for (let i = 0; i < 10; i++) await (await fresh.fetch(`${baseUrl}/x`)).text();
    await fresh.close();
    // The pool may open a second socket while the first is still finishing an answer; never one per call.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it("rejects an aborted call with the signal's reason and lets its socket go", async () => {
    let socketClosed = false;
    let received = false;
    handler = (request) => {
      received = true; // and never answers
      request.socket.once('close', () => (socketClosed = true));
    };
    const controller = new AbortController();
    const call = transport.fetch(`${baseUrl}/hang`, { signal: controller.signal });
    await waitFor(() => received);
    const reason = new Error('ky timed out');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    await waitFor(() => socketClosed);
    handler = (_request, _body, response) => response.end('{"after":1}');
    expect(await (await transport.fetch(`${baseUrl}/x`)).json()).toEqual({ after: 1 });
  });

  it('rejects a refused connection as fetch does, read as failed: nothing was sent', async () => {
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/x`;
    await new Promise((resolve) => gone.close(resolve));
    const ours = await transport.fetch(url, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
    const fetchs = await fetch(url, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
    expect(ours).toBeInstanceOf(TypeError);
    expect(ours).toMatchObject({ message: (fetchs as Error).message, cause: { code: 'ECONNREFUSED' } });
    expect(transportFailureOutcome(ours, 'Acme')).toMatchObject({ status: 'failed', error: { code: 'provider_unavailable' } });
  });

  it('does not read a declared body over the cap, and keeps its declared length for the reader', async () => {
    handler = (_request, _body, response) => response.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5_000));
    const answer = await transport.fetch(`${baseUrl}/big`);
    expect(answer.headers.get('content-length')).toBe('5000');
    expect((await answer.arrayBuffer()).byteLength).toBe(0);
  });

  it('stops reading a streamed body just past the cap and drops the connection', async () => {
    let socketClosed = false;
    handler = (request, _body, response) => {
      request.socket.once('close', () => (socketClosed = true));
      response.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (!response.destroyed && response.write('x'.repeat(600)));
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    };
    const answer = await transport.fetch(`${baseUrl}/stream`);
    const size = (await answer.arrayBuffer()).byteLength;
    expect(size).toBeGreaterThan(1_000);
    expect(size).toBeLessThan(1_000 + 64 * 1024);
    await waitFor(() => socketClosed);
  });

  it('answers a 204 with no body, and a redirect as it came, never followed', async () => {
    const paths: string[] = [];
    handler = (request, _body, response) => {
      paths.push(request.url ?? '');
      if (request.url === '/empty') response.writeHead(204).end();
      else response.writeHead(307, { location: '/elsewhere' }).end();
    };
    const empty = await transport.fetch(`${baseUrl}/empty`, { method: 'POST', body: '{}' });
    expect([empty.status, empty.body]).toEqual([204, null]);
    const moved = await transport.fetch(`${baseUrl}/moved`, { method: 'POST', body: '{}' });
    expect([moved.status, moved.headers.get('location')]).toEqual([307, '/elsewhere']);
    expect(paths).toEqual(['/empty', '/moved']);
  });

  it('sends nothing once closed, and the call reads as failed', async () => {
    const closing = createUndiciFetch({ maxResponseBytes: 1_000 });
    await closing.close();
    let sent = false;
    handler = (_request, _body, response) => {
      sent = true;
      response.end('{}');
    };
    const error = await closing.fetch(`${baseUrl}/x`, { method: 'POST', body: '{}' }).catch((failure: unknown) => failure);
    expect(transportFailureOutcome(error, 'Acme')).toMatchObject({ status: 'failed' });
    expect(sent).toBe(false);
  });
});

async function waitFor(condition: () => boolean, ms = 2_000): Promise<void> {
  for (const until = Date.now() + ms; !condition();) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
