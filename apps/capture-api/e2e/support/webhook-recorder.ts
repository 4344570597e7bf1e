import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedDelivery {
  headers: IncomingHttpHeaders;
  body: Buffer;
  status: number;
}

export interface WebhookRecorder {
  url: string;
  deliveries: RecordedDelivery[];
  /** Genuine deliveries whose body contains `text` are kept back (answered 503), so a test is not raced by them. */
  withhold(text: string): void;
  close(): Promise<void>;
}

/**
 * A pass-through between a sandbox and the service: forwards each webhook delivery unchanged and
 * keeps its exact bytes and headers, so a test can replay a genuine, signed delivery.
 */
export async function startWebhookRecorder(target: () => string): Promise<WebhookRecorder> {
  const deliveries: RecordedDelivery[] = [];
  const withheld: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (withheld.some((text) => body.includes(text))) return void response.writeHead(503).end();
      void forward(target(), request.headers, body).then(
        (status) => {
          deliveries.push({ headers: request.headers, body, status });
          response.writeHead(status).end();
        },
        () => response.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    withhold: (text) => void withheld.push(text),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sends a delivery's exact bytes and signature headers; answers the status. */
export async function forward(url: string, headers: IncomingHttpHeaders, body: Buffer): Promise<number> {
  const passed = Object.fromEntries(
    Object.entries(headers).filter(
      ([name, value]) => typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name),
    ),
  ) as Record<string, string>;
  const response = await fetch(url, { method: 'POST', headers: passed, body: new Uint8Array(body), signal: AbortSignal.timeout(5_000) });
  await response.arrayBuffer();
  return response.status;
}
