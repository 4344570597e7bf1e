import { ErrorCodeSchema } from '@capture-gateway/domain';
import Fastify, { type FastifyInstance } from 'fastify';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { frameworkErrorOptions } from './framework-errors';

function rawGet(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: unknown; requestId: string | undefined }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), requestId: res.headers['x-request-id'] as string | undefined }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('errors Fastify and Node raise before any route, in the one error shape', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    app = Fastify(frameworkErrorOptions());
    app.get('/v1/captures/:id', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  const shape = (reply: { body: unknown; requestId: string | undefined }) => {
    const body = reply.body as { error: { code: string; message: string }; requestId: string };
    expect(ErrorCodeSchema.parse(body.error.code)).toBe('invalid_request');
    expect(typeof body.error.message).toBe('string');
    expect(body.requestId).toBe(reply.requestId);
  };

  test('a path that is not valid percent-encoding is 400', async () => {
    const reply = await rawGet(port, '/v1/captures/%zz');
    expect(reply.status).toBe(400);
    shape(reply);
  });

  test('a path parameter past the limit is 414', async () => {
    const reply = await rawGet(port, `/v1/captures/${'x'.repeat(200)}`);
    expect(reply.status).toBe(414);
    shape(reply);
  });

  test('headers past the limit are 431', async () => {
    const reply = await rawGet(port, '/v1/captures/x', { 'x-big': 'x'.repeat(20_000) });
    expect(reply.status).toBe(431);
    shape(reply);
  });
});
