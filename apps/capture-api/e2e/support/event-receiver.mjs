// A product team's event endpoint, as its own process: answers each POST with 200 and keeps the
// exact bytes and headers, which the test reads back with GET /__received. PORT picks the port, so
// the test can stop it and start it again on the same one.
import { createServer } from 'node:http';

const received = [];
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/__received') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(received));
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    received.push({ path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
