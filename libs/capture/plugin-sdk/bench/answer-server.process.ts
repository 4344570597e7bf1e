// The provider stand-in of the transport bench: a kept-alive node:http server that echoes each
// capture's id in a small JSON answer, as a provider's capture answer is small. Runs in a process of
// its own so its CPU is not counted against the transport under test.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const pad = 'x'.repeat(300);
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const { id } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { id?: number };
    const body = JSON.stringify({ id, status: 'CAPTURED', pad });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () =>
  process.send?.({ type: 'ready', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
);
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
