// A product team's service, as packed-client.e2e.spec.ts runs it: copied into a folder outside the
// workspace where only `npm install <tarball>` put anything in node_modules, and run there with
// plain Node. It receives capture events on RECEIVER_PORT the way the client's README shows,
// creates a capture, reads it back, and prints one JSON line per thing it did. It stops when its
// stdin closes.
import { createServer } from 'node:http';
import { CaptureApiError, createCaptureClient, EventVerificationError, SIGNATURE_HEADER, verifyEvent } from '@capture-gateway/client';

const { CAPTURE_URL, CAPTURE_API_KEY, EVENT_SECRETS, RECEIVER_PORT, AUTHORISATION_ID } = process.env;
const secrets = EVENT_SECRETS.split(',');
const report = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

const receiver = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      // The raw bytes, as received: never JSON.parse then re-serialise before verifying.
      const event = verifyEvent(Buffer.concat(chunks), req.headers[SIGNATURE_HEADER.toLowerCase()], secrets);
      report({ received: 'verified', type: event.type, event });
      res.writeHead(204).end();
    } catch (error) {
      if (!(error instanceof EventVerificationError)) throw error;
      report({ received: 'refused', reason: error.reason, message: error.message });
      res.writeHead(400).end();
    }
  });
});
await new Promise((listening) => receiver.listen(Number(RECEIVER_PORT), '127.0.0.1', listening));

const gateway = createCaptureClient({ baseUrl: CAPTURE_URL, apiKey: CAPTURE_API_KEY, timeout: 5_000 });
const created = await gateway.captures.create({
  account: 'fake-us',
  authorisationId: AUTHORISATION_ID,
  amount: { amount: 2500, currency: 'USD' },
});
const read = await gateway.captures.get(created.id);
const declined = await gateway.captures
  .create({ account: 'fake-us', authorisationId: `decline-${AUTHORISATION_ID}`, amount: { amount: 100, currency: 'USD' } })
  .then(
    () => ({ thrown: false }),
    (error) => ({ thrown: true, isCaptureApiError: error instanceof CaptureApiError, code: error.code, captureId: error.capture?.id }),
  );
report({ created, read, declined });

process.stdin.resume();
process.stdin.on('end', () => receiver.close());
