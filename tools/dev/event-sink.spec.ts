import { createHmac } from 'node:crypto';
import { type EventSink, startEventSink } from './event-sink';

// The sink stands in for a product team's endpoint: it must refuse what a real receiver refuses.
describe('the local event sink', () => {
  const secret = 'sink_secret_0123456789abcdef';
  const lines: string[] = [];
  let sink: EventSink;
  const event = {
    id: 'evt_01M93G8KN3K7XNGBQB0167FH60',
    type: 'capture.succeeded',
    createdAt: '2026-12-05T16:14:53.500Z',
    sequence: 2,
    data: {
      capture: {
        id: 'cap_01M93G8K3TSRZ33XA6TTMS26PT',
        account: 'adyen-eu',
        provider: 'adyen',
        authorisationId: 'QFQTPCQ8HXSKGK82',
        capturedAmount: { amount: 2500, currency: 'EUR' },
        status: 'succeeded',
        providerReferences: {},
        createdAt: '2026-12-05T16:14:53.002Z',
        updatedAt: '2026-12-05T16:14:53.500Z',
      },
      previousStatus: 'pending',
      source: 'webhook',
    },
  };
  const body = JSON.stringify(event);
  const sign = (key: string, at = Math.floor(Date.now() / 1000)) =>
    `t=${at},v1=${createHmac('sha256', key).update(`${at}.${body}`, 'utf8').digest('hex')}`;
  const post = (signature?: string) =>
    fetch(sink.url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...(signature ? { 'capture-signature': signature } : {}) },
    });

  beforeAll(async () => (sink = await startEventSink({ port: 0, secrets: [secret], print: (line) => lines.push(line) })));
  afterAll(() => sink.close());
  beforeEach(() => (lines.length = 0));

  it('prints a signed event in one line and answers 204', async () => {
    expect((await post(sign(secret))).status).toBe(204);
    expect(lines).toEqual([
      'event capture.succeeded cap_01M93G8K3TSRZ33XA6TTMS26PT adyen-eu 2500 EUR source=webhook (was pending) seq=2 evt_01M93G8KN3K7XNGBQB0167FH60',
    ]);
  });

  it.each([
    ['another secret', () => sign('someone_elses_secret_0123'), 'no_matching_signature'],
    ['no signature', () => undefined, 'missing_header'],
    ['an old timestamp', () => sign(secret, Math.floor(Date.now() / 1000) - 3600), 'stale_timestamp'],
  ])('refuses %s with 400, and says why', async (_case, signature, reason) => {
    expect((await post(signature())).status).toBe(400);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^event refused: ${reason} `));
  });
});
