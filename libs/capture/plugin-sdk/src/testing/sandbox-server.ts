import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SandboxRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
}

/** How a sandbox answers: a status and body, a socket hang-up, or silence (for timeouts). */
export type SandboxReply =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string>; delayMs?: number }
  | { hangUp: true }
  | { silence: true };

export type SandboxHandler = (request: SandboxRequest) => SandboxReply | Promise<SandboxReply>;

export interface RunningServer {
  baseUrl: string;
  port: number;
  close(): Promise<void>;
}

/** A small HTTP server for provider sandboxes: JSON in, scripted replies out, closes cleanly. */
export async function startSandboxServer(handler: SandboxHandler, options: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const request: SandboxRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0] ?? '/',
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
      };
      Promise.resolve()
        .then(() => handler(request))
        .then((reply) => send(res, reply))
        .catch((error: unknown) => send(res, { status: 500, json: { error: String(error) } }));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, reply: SandboxReply): void {
  if ('silence' in reply) return;
  if ('hangUp' in reply) {
    res.socket?.destroy();
    return;
  }
  const write = () => {
    const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
    const type = reply.json !== undefined ? 'application/json' : 'text/plain';
    res.writeHead(reply.status, { 'content-type': type, ...reply.headers });
    res.end(body);
  };
  if (reply.delayMs) setTimeout(write, reply.delayMs).unref();
  else write();
}

function parseJson(raw: Buffer): unknown {
  try {
    return raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    return undefined;
  }
}
