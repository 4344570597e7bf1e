import { createServer, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  url: string;
  /** The headers of every request that passed through. */
  seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** A pass-through in front of a sandbox that keeps each request's headers (what the service sent the provider). */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const seen: IncomingHttpHeaders[] = [];
  const { hostname, port } = new URL(target);
  const server = createServer((incoming, outgoing) => {
    seen.push(incoming.headers);
    const upstream = httpRequest({ hostname, port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}
