import { z } from 'zod';
import { redact, redactCardNumbers, secret, secretPaths, secretValues, withoutSecrets } from './secrets';

const schema = z.object({
  baseUrl: z.url(),
  apiKey: secret(),
  webhook: z.object({ secret: secret().optional(), toleranceSeconds: z.int().default(300) }).optional(),
});

describe('secrets in a plugin config', () => {
  const config = schema.parse({ baseUrl: 'http://x.test', apiKey: 'key-123456', webhook: { secret: 'whsec-abcdef' } });

  it('finds the fields marked secret(), nested and optional ones too', () => {
    expect(secretPaths(schema)).toEqual([['apiKey'], ['webhook', 'secret']]);
    expect(secretValues(schema, config)).toEqual(['key-123456', 'whsec-abcdef']);
  });

  it('hides them in a copy and leaves the original intact', () => {
    expect(withoutSecrets(schema, config)).toEqual({
      baseUrl: 'http://x.test',
      apiKey: '[REDACTED]',
      webhook: { secret: '[REDACTED]', toleranceSeconds: 300 },
    });
    expect(config.apiKey).toBe('key-123456');
  });
});

describe('a secret with its own checks', () => {
  const checked = z.object({ apiKey: secret(z.string().regex(/^sk_[a-z0-9]+$/), 'API key'), region: z.string() });

  it('keeps the secret mark, so the value is still redacted', () => {
    const config = checked.parse({ apiKey: 'sk_live42', region: 'eu' });
    expect(secretPaths(checked)).toEqual([['apiKey']]);
    expect(secretValues(checked, config)).toEqual(['sk_live42']);
    expect(withoutSecrets(checked, config)).toEqual({ apiKey: '[REDACTED]', region: 'eu' });
    expect(redact(`key=${config.apiKey}`, secretValues(checked, config))).toBe('key=[REDACTED]');
    expect(checked.shape.apiKey.description).toBe('API key');
  });

  it('applies both its checks and the non-empty rule', () => {
    expect(checked.safeParse({ apiKey: 'pk_live42', region: 'eu' }).success).toBe(false);
    expect(checked.safeParse({ apiKey: '', region: 'eu' }).success).toBe(false);
  });
});

describe('redaction', () => {
  it('replaces every occurrence of each secret', () => {
    expect(redact('Basic key-123456 / x-api-key: key-123456', ['key-123456'])).toBe('Basic [REDACTED] / x-api-key: [REDACTED]');
  });

  it('masks card numbers that pass the Luhn check, and leaves other numbers alone', () => {
    expect(redactCardNumbers('card 5200000000001005 ok')).toBe('card 520000******1005 ok');
    expect(redactCardNumbers('card 4111-1111-1111-1111')).toBe('card 411111******1111');
    expect(redactCardNumbers('ref 1234567890123 and 74819')).toBe('ref 1234567890123 and 74819');
  });

  it('masks the card numbers the old pattern missed: digits after (masked with it), letters glued, dots and double spaces', () => {
    expect(redact('card 4111111111111111 12/28', [])).toBe('card 411111******1111 **/**');
    expect(redact('pan 5200000000001005 123', [])).toBe('pan 520000******1005 ***');
    expect(redact('PAN5200000000001005 and card_5200000000001005', [])).toBe('PAN520000******1005 and card_520000******1005');
    expect(redact('4111.1111.1111.1111 or 4111  1111  1111  1111', [])).toBe('411111******1111 or 411111******1111');
  });

  it('masks card numbers split by line breaks, mixed or invisible separators (issue #23)', () => {
    expect(redact('declined: 4111\r\n1111\t1111\u200b1111 (5200 0000-0000 1005)', [])).toBe(
      'declined: 411111******1111 (520000******1005)',
    );
  });
});
