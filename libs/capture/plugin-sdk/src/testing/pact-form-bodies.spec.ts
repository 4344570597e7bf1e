import { connect } from 'node:net';
import { startFormBodyRepair } from './pact-form-bodies';
import { type SandboxRequest, startSandboxServer } from './sandbox-server';

// What Pact's verifier sends for a form body: JSON, under the form's content-length.
function sendRaw(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('startFormBodyRepair', () => {
  it('turns a form body the verifier sent as JSON back into the form, and passes the answer back', async () => {
    const received: SandboxRequest[] = [];
    const provider = await startSandboxServer((request) => {
      received.push(request);
      return { status: 201, json: { ok: true } };
    });
    const repair = await startFormBodyRepair(provider.baseUrl);
    try {
      const form = 'amount_to_capture=1500&metadata[order]=1001';
      const json = '{"amount_to_capture":"1500","metadata":{"order":"1001"}}';
      const head = `POST /v1/x HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: ${form.length}\r\nconnection: close\r\n\r\n`;
      const answer = await sendRaw(Number(new URL(repair.baseUrl).port), head + json);
      expect(answer).toMatch(/^HTTP\/1.1 201/);
      expect(answer).toContain('{"ok":true}');
      expect(received[0]?.rawBody.toString()).toBe(form);
      const get = await sendRaw(Number(new URL(repair.baseUrl).port), 'GET /v1/y HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
      expect(get).toMatch(/^HTTP\/1.1 201/);
      expect(received[1]).toMatchObject({ method: 'GET', path: '/v1/y' });
    } finally {
      await repair.close();
      await provider.close();
    }
  });
});
