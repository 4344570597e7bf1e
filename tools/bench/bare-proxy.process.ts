// The floor any gateway pays: parse the JSON, forward the same capture to the sandbox with the
// credentials, return its answer. No validation, no storage, no auth.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const [sandboxUrl, authorizationKey, apiKey, merchantId] = process.argv.slice(2);
const target = `${sandboxUrl}/api/v1/server-to-server-interface/capture`;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { authorisationId: string; amount: { amount: number } };
      const answer = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${authorizationKey}`, 'x-api-key': apiKey ?? '' },
        body: JSON.stringify({ transactionId: body.authorisationId, amount: body.amount.amount, merchant_id: merchantId }),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await answer.text();
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
    } catch {
      res.writeHead(502).end();
    }
  });
});

server.listen(0, '127.0.0.1', () =>
  process.send?.({ type: 'ready', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
);
process.on('disconnect', () => server.close(() => process.exit(0)));
