// The floor any gateway pays: parse the JSON, forward the same capture to the sandbox with the
// credentials, return its answer. No validation, no storage, no auth. `undici` (the floor every
// ratio is taken against) forwards with undici's `request` on a kept-alive pool, the cheapest plain
// Node proxy; `fetch` forwards with the global fetch, kept as a second reference line.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const [mode, sandboxUrl, authorizationKey, apiKey, merchantId] = process.argv.slice(2);
const path = '/api/v1/server-to-server-interface/capture';
const headers = { 'content-type': 'application/json', authorization: `Basic ${authorizationKey}`, 'x-api-key': apiKey ?? '' };
const pool = new Pool(sandboxUrl ?? '', { connections: 64, pipelining: 1 });

async function forward(body: string): Promise<{ status: number; text: string }> {
  if (mode === 'fetch') {
    const answer = await fetch(`${sandboxUrl}${path}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
    return { status: answer.status, text: await answer.text() };
  }
  const answer = await pool.request({ method: 'POST', path, headers, body, headersTimeout: 10_000, bodyTimeout: 10_000 });
  return { status: answer.statusCode, text: await answer.body.text() };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { authorisationId: string; amount: { amount: number } };
      const answer = await forward(
        JSON.stringify({ transactionId: body.authorisationId, amount: body.amount.amount, merchant_id: merchantId }),
      );
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.text);
    } catch {
      res.writeHead(502).end();
    }
  });
});

server.listen(0, '127.0.0.1', () =>
  process.send?.({ type: 'ready', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
);
process.on('disconnect', () => server.close(() => pool.close().finally(() => process.exit(0))));
