import { z } from 'zod';
import { secret, secretList, secretValues, withoutSecrets } from './secrets';

describe('secretList', () => {
  const schema = z.object({ apiKey: secret('key'), webhookSecrets: secretList('signing secrets').optional(), name: z.string() });

  it('gives every value of a list of secrets for redaction, beside the single ones', () => {
    const config = schema.parse({ apiKey: 'k_1', webhookSecrets: ['whsec_new', 'whsec_old'], name: 'shop' });
    expect(secretValues(schema, config)).toEqual(['k_1', 'whsec_new', 'whsec_old']);
    const single = schema.parse({ apiKey: 'k_1', name: 'shop' });
    expect(secretValues(schema, single)).toEqual(['k_1']);
  });

  it('is redacted whole when a config is shown', () => {
    const config = schema.parse({ apiKey: 'k_1', webhookSecrets: ['whsec_new'], name: 'shop' });
    expect(withoutSecrets(schema, config)).toEqual({ apiKey: '[REDACTED]', webhookSecrets: '[REDACTED]', name: 'shop' });
  });

  it('refuses an empty list, an empty secret and more than its maximum', () => {
    expect(schema.safeParse({ apiKey: 'k', webhookSecrets: [], name: 'x' }).success).toBe(false);
    expect(schema.safeParse({ apiKey: 'k', webhookSecrets: [''], name: 'x' }).success).toBe(false);
    expect(schema.safeParse({ apiKey: 'k', webhookSecrets: ['a', 'b', 'c', 'd', 'e', 'f'], name: 'x' }).success).toBe(false);
  });

  it('checks each value with its item schema, and still redacts the list whole', () => {
    const hex = z.object({ keys: secretList('HMAC keys', { max: 2, item: z.string().regex(/^[0-9A-F]+$/) }) });
    expect(hex.safeParse({ keys: ['0A1B', 'FF'] }).success).toBe(true);
    expect(hex.safeParse({ keys: ['0A1B', 'not hex'] }).error?.issues[0]?.path).toEqual(['keys', 1]);
    expect(hex.safeParse({ keys: [''] }).success).toBe(false);
    expect(secretValues(hex, hex.parse({ keys: ['0A1B'] }))).toEqual(['0A1B']);
    expect(withoutSecrets(hex, { keys: ['0A1B'] })).toEqual({ keys: '[REDACTED]' });
  });
});
