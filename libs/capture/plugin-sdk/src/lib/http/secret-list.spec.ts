import { z } from 'zod';
import { secret, secretValues, withoutSecrets } from '../secrets';
import { accountSecretValues, secretList } from './secret-list';

describe('secretList', () => {
  const schema = z.object({ apiKey: secret('key'), webhookSecrets: secretList('signing secrets').optional(), name: z.string() });

  it('gives every value of a list of secrets for redaction, beside the single ones', () => {
    const config = schema.parse({ apiKey: 'k_1', webhookSecrets: ['whsec_new', 'whsec_old'], name: 'shop' });
    expect(accountSecretValues(schema, config)).toEqual(['k_1', 'whsec_new', 'whsec_old']);
    // Without a list it is exactly secretValues.
    const single = schema.parse({ apiKey: 'k_1', name: 'shop' });
    expect(accountSecretValues(schema, single)).toEqual(secretValues(schema, single));
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
});
