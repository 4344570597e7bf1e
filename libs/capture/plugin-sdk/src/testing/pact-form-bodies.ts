import { request as httpRequest } from 'node:http';
import { type Socket, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { formEncode } from '../lib/http/form-body';

/**
 * A stand-in in front of a provider under Pact verification that mends form bodies. Pact's verifier
 * (pact_verifier 1.4.8, in pact-core 20.2) replays an `application/x-www-form-urlencoded` request
 * body as JSON (`{"amount_to_capture":"1500","metadata":{…}}`) under the form's content-length, so
 * the provider reads a cut JSON text. This reads the whole JSON off the socket, writes it back as the
 * form it was (`formEncode`, nested keys in brackets) and forwards it; every other request is
 * forwarded as received.
 */
export async function startFormBodyRepair(targetBaseUrl: string): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const target = new URL(targetBaseUrl);
  const server = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    let done = false;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const parsed = done ? undefined : readRequest(buffered);
      if (!parsed) return;
      done = true;
      forward(target, parsed, socket);
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

// The request once it is whole, or undefined while more is to come.
function readRequest(buffered: Buffer): RawRequest | undefined {
  const end = buffered.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [start = '', ...lines] = buffered.subarray(0, end).toString('latin1').split('\r\n');
  const [method = 'GET', path = '/'] = start.split(' ');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  const rest = buffered.subarray(end + 4);
  if (headers['transfer-encoding']?.includes('chunked')) {
    // Only the empty body the verifier sends this way: "0\r\n\r\n".
    if (!rest.includes('0\r\n\r\n')) return undefined;
    delete headers['transfer-encoding'];
    return { method, path, headers, body: Buffer.alloc(0) };
  }
  const form = headers['content-type']?.startsWith('application/x-www-form-urlencoded');
  if (form && rest[0] === 0x7b) {
    const json = parseJson(rest.toString('utf8'));
    if (json === undefined) return undefined;
    return { method, path, headers, body: Buffer.from(formEncode(json as Parameters<typeof formEncode>[0])) };
  }
  const length = Number(headers['content-length'] ?? 0);
  return rest.length < length ? undefined : { method, path, headers, body: rest.subarray(0, length) };
}

function forward(target: URL, raw: RawRequest, socket: Socket): void {
  const headers = { ...raw.headers, host: target.host, 'content-length': String(raw.body.length), connection: 'close' };
  const outgoing = httpRequest({ host: target.hostname, port: target.port, method: raw.method, path: raw.path, headers }, (answer) => {
    const chunks: Buffer[] = [];
    answer.on('data', (chunk: Buffer) => chunks.push(chunk));
    answer.on('end', () => {
      const body = Buffer.concat(chunks);
      const head = Object.entries(answer.headers)
        .filter(([name]) => !['content-length', 'transfer-encoding', 'connection'].includes(name))
        .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}`);
      socket.end(
        Buffer.concat([
          Buffer.from(
            `HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? ''}\r\n${[...head, `content-length: ${body.length}`, 'connection: close'].join('\r\n')}\r\n\r\n`,
          ),
          body,
        ]),
      );
    });
  });
  outgoing.on('error', () => socket.destroy());
  outgoing.end(raw.body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
