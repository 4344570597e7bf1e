import { CAPTURE_EVENT_TYPES, SlugSchema } from '@capture-gateway/domain';
import { z } from 'zod';

// A client of the API in the config file: its keys with their scopes, the accounts it may use, and
// where its capture events go. The rest of the file's schema is in config.schemas.ts.

/**
 * What a key may do. Operators resolve captures in doubt and read the operations page's data
 * (`ops:read`: the attention list and provider health); product teams create and read.
 */
export const SCOPES = ['captures:create', 'captures:read', 'captures:resolve', 'ops:read'] as const;
export type Scope = (typeof SCOPES)[number];
/** A key that names no scopes: what every key could do before scopes existed. */
export const DEFAULT_SCOPES: readonly Scope[] = ['captures:create', 'captures:read'];

const ApiKeySchema = z.string().min(16, { error: 'must be at least 16 characters' });

const ClientKeySchema = z
  .object({
    id: SlugSchema.optional().describe('Names the key in logs and the audit trail (default key-1, key-2, …); never the key itself'),
    key: ApiKeySchema,
    scopes: z.array(z.enum(SCOPES)).min(1).optional().describe('Default: captures:create and captures:read'),
    notAfter: z.iso.datetime({ offset: true }).optional().describe('The key stops working at this instant: the end of a rotation overlap'),
  })
  .strict();

const SubscriptionSchema = z
  .object({
    id: SlugSchema.describe('Names the subscription in metrics and deliveries; unique within its client'),
    url: z.url({ protocol: /^https?$/ }).describe("The product team's endpoint: events are POSTed here"),
    secrets: z
      .array(z.string().min(16, { error: 'must be at least 16 characters' }))
      .min(1)
      .describe('Signing secrets, from the environment; during a rotation list both: each signs (one v1= each)'),
    types: z.array(z.enum(CAPTURE_EVENT_TYPES)).min(1).optional().describe('Event types to send (default: all)'),
    accounts: z.array(SlugSchema).min(1).optional().describe("Only events of these accounts (default: all the client's)"),
    maxConcurrent: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(4)
      .describe('Deliveries in flight to this endpoint at once, per replica'),
  })
  .strict();

export const ClientSchema = z
  .object({
    id: SlugSchema,
    /** One key with the default scopes: the original form, still accepted. */
    apiKey: ApiKeySchema.optional(),
    /** Several keys at once, each with its scopes: rotate by adding the new key, then removing the old. */
    keys: z.array(ClientKeySchema).min(1).optional(),
    accounts: z.union([z.literal('*'), z.array(SlugSchema).min(1)]),
    /** Where this client's capture events are pushed, signed. */
    subscriptions: z.array(SubscriptionSchema).default([]),
    events: z
      .enum(['poll', 'subscriptions'])
      .default('poll')
      .describe(
        'poll (default): every capture event is kept for GET /v1/events and the subscriptions. subscriptions: an event is written only when one of the subscriptions takes it (less database work per capture); GET /v1/events then answers 409 events_not_kept',
      ),
  })
  .strict()
  .superRefine((client, ctx) => {
    if ((client.apiKey === undefined) === (client.keys === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'give either apiKey or keys (a list), not both and not neither' });
    }
  });

/** A client's keys, whichever form the config uses, each with its id and scopes. */
export function clientKeys(
  client: z.output<typeof ClientSchema>,
): Array<{ id: string; key: string; scopes: readonly Scope[]; notAfter?: Date }> {
  // The schema requires one of the two forms.
  const entries = client.keys ?? (client.apiKey ? [{ key: client.apiKey }] : []);
  return entries.map((entry, i) => ({
    id: 'id' in entry && entry.id ? entry.id : `key-${i + 1}`,
    key: entry.key,
    scopes: ('scopes' in entry && entry.scopes) || DEFAULT_SCOPES,
    ...('notAfter' in entry && entry.notAfter ? { notAfter: new Date(entry.notAfter) } : {}),
  }));
}
