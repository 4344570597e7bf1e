import { createHmac } from 'node:crypto';
import type { CaptureEvent } from './capture-event.types.js';
import { EventVerificationError, verifyEvent, type EventVerificationReason } from './verify-event.js';

const SECRET = 'whsec_current_0123456789abcdef';
const OLD_SECRET = 'whsec_previous_0123456789abcdef';
const NOW = new Date('2026-11-21T12:00:00.000Z');
const T = Math.floor(NOW.getTime() / 1000);

const event = {
  id: 'evt_01JD9Z8X7W6V5T4S3R2Q1P0N9M',
  type: 'capture.succeeded',
  createdAt: '2026-11-21T11:59:59.000Z',
  sequence: 2,
  data: {
    capture: {
      id: 'cap_01JD9Z8X7W6V5T4S3R2Q1P0N9M',
      account: 'po-sandbox',
      provider: 'paymentoptions',
      authorisationId: 'e0b0731e-7170-4b64-8a21-7d835eebd641',
      requestedAmount: { amount: 1000, currency: 'JPY' },
      capturedAmount: { amount: 1000, currency: 'JPY' },
      status: 'succeeded',
      providerReferences: { captureId: 'po_1' },
      createdAt: '2026-11-21T11:59:58.000Z',
      updatedAt: '2026-11-21T11:59:59.000Z',
    },
    previousStatus: 'pending',
    source: 'webhook',
  },
} satisfies CaptureEvent;
// As stored: a raw body the receiver must not re-serialise (spacing and key order kept).
const BODY = JSON.stringify(event, null, 1);

/** Signs as the service does: HMAC-SHA256 over `${t}.${rawBody}`, one v1 per secret. */
const sign = (body: string | Buffer, secrets: string[], t = T) =>
  [`t=${t}`, ...secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex')}`)].join(',');

const refusal = (call: () => unknown): { reason?: EventVerificationReason; message: string } => {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(EventVerificationError);
    return error as EventVerificationError;
  }
  throw new Error('verifyEvent accepted it');
};

describe('verifyEvent', () => {
  it('returns the typed event for a body signed with the secret', () => {
    const verified = verifyEvent(BODY, sign(BODY, [SECRET]), SECRET, { now: NOW });
    expect(verified).toEqual(event);
    if (verified.type === 'capture.succeeded') {
      const status: 'succeeded' = verified.data.capture.status; // narrowed by the type
      expect(status).toBe('succeeded');
    } else {
      throw new Error('wrong type');
    }
  });

  it('takes the body as bytes too, including a slice of a larger buffer', () => {
    const bytes = new TextEncoder().encode(BODY);
    expect(verifyEvent(bytes, sign(BODY, [SECRET]), SECRET, { now: NOW }).id).toBe(event.id);
    const inside = Buffer.concat([Buffer.from('xxxx'), Buffer.from(BODY), Buffer.from('yyyy')]).subarray(4, 4 + Buffer.byteLength(BODY));
    expect(verifyEvent(inside, sign(BODY, [SECRET]), [SECRET], { now: NOW }).id).toBe(event.id);
  });

  it('verifies over the raw bytes: non-ASCII text signed as UTF-8', () => {
    const withAccents = JSON.stringify({
      ...event,
      data: { ...event.data, capture: { ...event.data.capture, description: 'Café – 東京' } },
    });
    expect(verifyEvent(Buffer.from(withAccents), sign(withAccents, [SECRET]), SECRET, { now: NOW }).data.capture.description).toBe(
      'Café – 東京',
    );
  });

  it('accepts an event during a rotation: signed with both secrets, verified with either or both', () => {
    const header = sign(BODY, [OLD_SECRET, SECRET]);
    expect(verifyEvent(BODY, header, SECRET, { now: NOW }).id).toBe(event.id);
    expect(verifyEvent(BODY, header, OLD_SECRET, { now: NOW }).id).toBe(event.id);
    expect(verifyEvent(BODY, header, [OLD_SECRET, SECRET], { now: NOW }).id).toBe(event.id);
    // The receiver holds both while the service signs with the new one only (or still the old one).
    expect(verifyEvent(BODY, sign(BODY, [SECRET]), [OLD_SECRET, SECRET], { now: NOW }).id).toBe(event.id);
    expect(verifyEvent(BODY, sign(BODY, [OLD_SECRET]), [SECRET, OLD_SECRET], { now: NOW }).id).toBe(event.id);
  });

  it('refuses a tampered body', () => {
    const header = sign(BODY, [SECRET]);
    const tampered = BODY.replace('"amount": 1000', '"amount": 1');
    expect(tampered).not.toBe(BODY);
    expect(refusal(() => verifyEvent(tampered, header, SECRET, { now: NOW })).reason).toBe('no_matching_signature');
    // The same event re-serialised is a different body: only the raw bytes verify.
    expect(refusal(() => verifyEvent(JSON.stringify(event), header, SECRET, { now: NOW })).reason).toBe('no_matching_signature');
  });

  it('refuses a signature made with another secret, and never names a secret', () => {
    const error = refusal(() => verifyEvent(BODY, sign(BODY, ['whsec_attacker_0123456789']), [SECRET, OLD_SECRET], { now: NOW }));
    expect(error.reason).toBe('no_matching_signature');
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(OLD_SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it('refuses a signature over another timestamp than the header says (a replayed body with a fresh t)', () => {
    const old = sign(BODY, [SECRET], T - 1_000);
    const replayed = old.replace(`t=${T - 1_000}`, `t=${T}`);
    expect(refusal(() => verifyEvent(BODY, replayed, SECRET, { now: NOW })).reason).toBe('no_matching_signature');
  });

  it.each([
    ['301 s old', T - 301],
    ['301 s in the future', T + 301],
    ['a day old', T - 86_400],
  ])('refuses a timestamp %s as stale_timestamp', (_, t) => {
    expect(refusal(() => verifyEvent(BODY, sign(BODY, [SECRET], t), SECRET, { now: NOW })).reason).toBe('stale_timestamp');
  });

  it('accepts a timestamp at the edge of the tolerance, either way, and honours toleranceSeconds', () => {
    expect(verifyEvent(BODY, sign(BODY, [SECRET], T - 300), SECRET, { now: NOW }).id).toBe(event.id);
    expect(verifyEvent(BODY, sign(BODY, [SECRET], T + 300), SECRET, { now: NOW }).id).toBe(event.id);
    expect(verifyEvent(BODY, sign(BODY, [SECRET], T - 30), SECRET, { now: NOW, toleranceSeconds: 30 }).id).toBe(event.id);
    expect(refusal(() => verifyEvent(BODY, sign(BODY, [SECRET], T - 31), SECRET, { now: NOW, toleranceSeconds: 30 })).reason).toBe(
      'stale_timestamp',
    );
  });

  it('uses the current time by default', () => {
    const t = Math.floor(Date.now() / 1000);
    expect(verifyEvent(BODY, sign(BODY, [SECRET], t), SECRET).id).toBe(event.id);
    expect(refusal(() => verifyEvent(BODY, sign(BODY, [SECRET], t - 600), SECRET)).reason).toBe('stale_timestamp');
  });

  it('checks the timestamp before the signature: a stale header is refused whatever its signature', () => {
    expect(refusal(() => verifyEvent(BODY, `t=${T - 1_000},v1=${'0'.repeat(64)}`, SECRET, { now: NOW })).reason).toBe('stale_timestamp');
  });

  it.each([undefined, null, '', '   '])('refuses a missing header (%p) as missing_header', (header) => {
    expect(refusal(() => verifyEvent(BODY, header, SECRET, { now: NOW })).reason).toBe('missing_header');
  });

  it.each([
    ['no t', () => sign(BODY, [SECRET]).replace(/^t=\d+,/, '')],
    ['no v1', () => `t=${T}`],
    ['a t that is not a number', () => sign(BODY, [SECRET]).replace(`t=${T}`, 't=yesterday')],
    ['a negative t', () => sign(BODY, [SECRET]).replace(`t=${T}`, `t=-${T}`)],
    ['two t', () => `t=${T},${sign(BODY, [SECRET])}`],
    ['only v1 values that are not hex digests', () => `t=${T},v1=zzzz,v1=${'a'.repeat(63)}`],
    ['garbage', () => 'not a signature header'],
    ['only an unknown scheme', () => `t=${T},v0=${'a'.repeat(64)}`],
    ['more than 4096 characters', () => `${sign(BODY, [SECRET])},pad=${'x'.repeat(4096)}`],
  ])('refuses a header with %s as malformed_header', (_, header) => {
    expect(refusal(() => verifyEvent(BODY, header(), SECRET, { now: NOW })).reason).toBe('malformed_header');
  });

  it('tolerates whitespace, unknown schemes, odd entries and a v1 in capitals', () => {
    const good = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    const headers = [
      ` t=${T} , v1=${good} `,
      `v0=abc, t = ${T},\tv2=${'b'.repeat(64)},  v1=${good}, scheme=whatever`,
      `t=${T},v1=${'0'.repeat(64)},v1=nothex,v1=${good.toUpperCase()},`,
      `t=${T},,flag,v1=${good}`,
    ];
    for (const header of headers) expect(verifyEvent(BODY, header, SECRET, { now: NOW }).id).toBe(event.id);
  });

  it.each([
    ['not JSON', '{"id": "evt_0123456789"'],
    ['JSON that is not an object', '["evt_0123456789"]'],
    ['JSON null', 'null'],
    ['an object without an event id', JSON.stringify({ ...event, id: 'cap_0123456789' })],
    ['an unknown event type', JSON.stringify({ ...event, type: 'capture.refunded' })],
    ['a sequence of 0', JSON.stringify({ ...event, sequence: 0 })],
    ['a createdAt that is no date', JSON.stringify({ ...event, createdAt: 'soon' })],
    ['no data', JSON.stringify({ ...event, data: undefined })],
    ['no capture', JSON.stringify({ ...event, data: { ...event.data, capture: undefined } })],
    ['an unknown source', JSON.stringify({ ...event, data: { ...event.data, source: 'martians' } })],
    ['a previousStatus that is no status', JSON.stringify({ ...event, data: { ...event.data, previousStatus: 'maybe' } })],
    ['a capture without its id', JSON.stringify({ ...event, data: { ...event.data, capture: { ...event.data.capture, id: 7 } } })],
    ['a capture whose status is not the type', JSON.stringify({ ...event, type: 'capture.failed' })],
  ])('refuses a correctly signed body that is %s as malformed_body', (_, body) => {
    const error = refusal(() => verifyEvent(body, sign(body, [SECRET]), SECRET, { now: NOW }));
    expect(error.reason).toBe('malformed_body');
    expect(error.message).not.toContain(SECRET);
  });

  it('checks the signature before reading the body: an unsigned non-event is refused as no_matching_signature', () => {
    expect(refusal(() => verifyEvent('not json', sign(BODY, [SECRET]), SECRET, { now: NOW })).reason).toBe('no_matching_signature');
  });

  it('accepts fields it does not know yet (added by a later version of the service)', () => {
    const body = JSON.stringify({ ...event, livemode: false, data: { ...event.data, reason: 'operator note' } });
    expect(verifyEvent(body, sign(body, [SECRET]), SECRET, { now: NOW })).toMatchObject({ livemode: false });
  });

  it.each([
    ['pending', 'capture.pending'],
    ['failed', 'capture.failed'],
    ['unknown', 'capture.unknown'],
  ])('returns a %s event with its own type', (status, type) => {
    const body = JSON.stringify({ ...event, type, data: { capture: { ...event.data.capture, status }, source: 'api' } });
    expect(verifyEvent(body, sign(body, [SECRET]), SECRET, { now: NOW }).type).toBe(type);
  });

  it('refuses to run without a secret (a configuration mistake, not a bad event)', () => {
    expect(() => verifyEvent(BODY, sign(BODY, [SECRET]), [], { now: NOW })).toThrow(TypeError);
    expect(() => verifyEvent(BODY, sign(BODY, [SECRET]), '', { now: NOW })).toThrow(TypeError);
  });
});
