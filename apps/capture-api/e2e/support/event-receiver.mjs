// A product team's event endpoint, as its own process: answers each POST with 200 and keeps the
// exact bytes and headers, which the test reads back with GET /__received. PORT picks the port, so
// the test can stop it and start it again on the same one. DELAY_MS makes it answer that late; GET
// /__concurrency tells, per event id, how many requests came and the most that were open at once (a
// request is open until answered or until the sender hangs up).
import { createServer } from 'node:http';

const delayMs = Number(process.env.DELAY_MS ?? 0);
const received = [];
const perEvent = new Map();

function track(req, res) {
  const id = req.headers['capture-event-id'];
  if (!id) return;
  const seen = perEvent.get(id) ?? { requests: 0, open: 0, most: 0 };
  perEvent.set(id, seen);
  seen.requests += 1;
  seen.open += 1;
  seen.most = Math.max(seen.most, seen.open);
  res.once('close', () => (seen.open -= 1));
}

const server = createServer((req, res) => {
  const answer = (body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET' && req.url === '/__received') return answer(received);
  if (req.method === 'GET' && req.url === '/__concurrency') return answer(Object.fromEntries(perEvent));
  track(req, res);
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    received.push({ path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    }, delayMs);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
