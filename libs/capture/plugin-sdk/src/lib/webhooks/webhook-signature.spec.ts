import { timingSafeEqual } from 'node:crypto';
import { decodeBytes, hmacKey, hmacSha256, hmacSha256Base64, hmacSha256Hex, signatureMatches, webhookHeader } from './webhook-signature';
import { WebhookRejectedError } from './webhook.errors';

// The real comparison, counted: the spec below checks that no comparison is skipped after a match.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

// RFC 4231, test case 2: HMAC-SHA256 with the key "Jefe".
const RFC_KEY = 'Jefe';
const RFC_DATA = 'what do ya want for nothing?';
const RFC_HEX = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
const RFC_BASE64 = Buffer.from(RFC_HEX, 'hex').toString('base64');

describe('decodeBytes', () => {
  it('reads text as its UTF-8 bytes, and refuses an empty value in every encoding', () => {
    expect(decodeBytes('whsec_é', 'text')).toEqual(Buffer.from('whsec_é', 'utf8'));
    for (const encoding of ['text', 'hex', 'base64'] as const) expect(decodeBytes('', encoding)).toBeUndefined();
  });

  it('reads hex in either case, and refuses an odd length or a character that is not hex', () => {
    expect(decodeBytes('0aFF', 'hex')).toEqual(Buffer.from([0x0a, 0xff]));
    expect(decodeBytes('0aF', 'hex')).toBeUndefined();
    // Node alone would decode these to a shorter (or empty) key without a word.
    expect(decodeBytes('zz', 'hex')).toBeUndefined();
    expect(decodeBytes('0a g0', 'hex')).toBeUndefined();
  });

  it('reads base64 with its padding or without, and refuses a wrong padding, stray bits or other characters', () => {
    expect(decodeBytes('QQ==', 'base64')).toEqual(Buffer.from('A'));
    expect(decodeBytes('QQ', 'base64')).toEqual(Buffer.from('A'));
    expect(decodeBytes('QUI=', 'base64')).toEqual(Buffer.from('AB'));
    expect(decodeBytes('QQ=', 'base64')).toBeUndefined();
    expect(decodeBytes('QQ===', 'base64')).toBeUndefined();
    // "QR" decodes to "A" too, with bits left over: not the canonical spelling of any bytes.
    expect(decodeBytes('QR==', 'base64')).toBeUndefined();
    expect(decodeBytes('Q', 'base64')).toBeUndefined();
    expect(decodeBytes('QU-_', 'base64')).toBeUndefined();
    expect(decodeBytes('QU I=', 'base64')).toBeUndefined();
  });
});

describe('hmacKey', () => {
  it('decodes a key given as text, hex or base64 to the same bytes', () => {
    const bytes = Buffer.from(RFC_KEY);
    expect(hmacKey(RFC_KEY)).toEqual(bytes);
    expect(hmacKey(bytes.toString('hex').toUpperCase(), 'hex')).toEqual(bytes);
    expect(hmacKey(bytes.toString('base64'), 'base64')).toEqual(bytes);
  });

  it('refuses the delivery when the configured key is not in its encoding, without quoting the key', () => {
    const attempt = () => hmacKey('not-hex-key-123', 'hex', 'hmacKey');
    expect(attempt).toThrow(WebhookRejectedError);
    expect(attempt).toThrow("The account's hmacKey is not valid hex");
    try {
      attempt();
    } catch (error) {
      expect((error as WebhookRejectedError).reason).toBe('bad_signature');
      expect((error as Error).message).not.toContain('not-hex-key-123');
    }
    expect(() => hmacKey('')).toThrow("The account's webhook key is not set");
  });
});

describe('HMAC-SHA256', () => {
  it('matches RFC 4231 in raw bytes, hex and base64, with the parts concatenated', () => {
    expect(hmacSha256Hex(RFC_KEY, RFC_DATA)).toBe(RFC_HEX);
    expect(hmacSha256Hex(RFC_KEY, 'what do ya ', Buffer.from('want for nothing?'))).toBe(RFC_HEX);
    expect(hmacSha256(RFC_KEY, RFC_DATA)).toEqual(Buffer.from(RFC_HEX, 'hex'));
    expect(hmacSha256Base64(RFC_KEY, RFC_DATA)).toBe(RFC_BASE64);
  });

  it('signs with the decoded bytes of a hex key, not with its text (Adyen)', () => {
    const hexKey = Buffer.from(RFC_KEY).toString('hex');
    expect(hmacSha256Base64(hmacKey(hexKey, 'hex'), RFC_DATA)).toBe(RFC_BASE64);
    expect(hmacSha256Base64(hexKey, RFC_DATA)).not.toBe(RFC_BASE64);
  });
});

describe('signatureMatches', () => {
  const expected = Buffer.from(RFC_HEX, 'hex');

  it('accepts the signature in hex of either case', () => {
    expect(signatureMatches(RFC_HEX, [RFC_HEX])).toBe(true);
    expect(signatureMatches(RFC_HEX, [RFC_HEX.toUpperCase()])).toBe(true);
    expect(signatureMatches(expected, [RFC_HEX.toUpperCase()], 'hex')).toBe(true);
  });

  it('accepts the signature in base64, padded or not, where the provider writes base64', () => {
    expect(signatureMatches(expected, [RFC_BASE64], 'base64')).toBe(true);
    expect(signatureMatches(RFC_BASE64, [RFC_BASE64.replace(/=+$/, '')], 'base64')).toBe(true);
    // The same bytes in the other encoding are not a match: the provider's encoding is fixed.
    expect(signatureMatches(expected, [RFC_HEX], 'base64')).toBe(false);
    expect(signatureMatches(expected, [RFC_BASE64], 'hex')).toBe(false);
  });

  it('refuses a wrong signature, one of another length, one not in the encoding, and no candidate at all', () => {
    const wrong = `${RFC_HEX.slice(0, -1)}4`;
    expect(signatureMatches(RFC_HEX, [wrong])).toBe(false);
    expect(signatureMatches(RFC_HEX, [RFC_HEX.slice(0, 62)])).toBe(false);
    expect(signatureMatches(RFC_HEX, [`${RFC_HEX}00`])).toBe(false);
    expect(signatureMatches(RFC_HEX, [`${RFC_HEX.slice(0, 63)}g`])).toBe(false);
    expect(signatureMatches(RFC_HEX, [''])).toBe(false);
    expect(signatureMatches(RFC_HEX, [])).toBe(false);
    // An expected signature that is not in the encoding matches nothing, not even itself.
    expect(signatureMatches('zz', ['zz'])).toBe(false);
  });

  it('finds a match among several candidates and several secrets (a rotation), wherever it stands', () => {
    const other = hmacSha256('old secret', RFC_DATA);
    const wrong = '00'.repeat(32);
    expect(signatureMatches([other, expected], [wrong, RFC_HEX])).toBe(true);
    expect(signatureMatches([expected, other], [RFC_HEX, wrong])).toBe(true);
    expect(signatureMatches([other], [wrong, RFC_HEX])).toBe(false);
  });

  it('compares every candidate with every secret, even after a match: the time taken does not say which matched', () => {
    const compared = jest.mocked(timingSafeEqual);
    compared.mockClear();
    const other = hmacSha256('old secret', RFC_DATA);
    expect(signatureMatches([expected, other], [RFC_HEX, '00'.repeat(32), 'ab'])).toBe(true);
    // Two well-formed candidates of the right length, two secrets; the short one is never compared.
    expect(compared).toHaveBeenCalledTimes(4);
  });
});

describe('webhookHeader', () => {
  it('finds a header whatever its case, and takes the first of repeated values', () => {
    const delivery = { headers: { 'X-Signature': ['t=1,v1=aa', 't=2,v1=bb'], other: 'x' } };
    expect(webhookHeader(delivery, 'x-signature')).toBe('t=1,v1=aa');
    expect(webhookHeader(delivery, 'OTHER')).toBe('x');
    expect(webhookHeader(delivery, 'missing')).toBeUndefined();
  });
});
