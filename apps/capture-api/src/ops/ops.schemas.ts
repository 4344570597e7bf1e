import { CaptureIdSchema, CaptureStatusSchema, ErrorCodeSchema, FLAG_REASONS, MoneySchema, SlugSchema } from '@capture-gateway/domain';
import { z } from 'zod';
import { PROVIDER_OUTCOMES } from '@capture-gateway/domain';

/** `GET /v1/ops/attention` filters. */
export const AttentionQuerySchema = z
  .object({
    account: SlugSchema.optional().describe('Only captures on this account'),
    limit: z.coerce.number().int().min(1).max(100).default(50).describe('Page size, 1 to 100; default 50'),
    cursor: CaptureIdSchema.optional().describe('The `nextCursor` of the previous page'),
  })
  .strict();
export type AttentionQuery = z.infer<typeof AttentionQuerySchema>;

/** The windows provider health is computed over, each with the width of its chart buckets. */
export const HEALTH_WINDOWS = { '15m': { ms: 15 * 60_000, bucketMs: 60_000 }, '1h': { ms: 3_600_000, bucketMs: 300_000 } } as const;

export const HealthQuerySchema = z
  .object({
    window: z
      .enum(Object.keys(HEALTH_WINDOWS) as ['15m', '1h'])
      .default('1h')
      .describe('The last 15 minutes (1-minute buckets) or the last hour (5-minute buckets); default 1h'),
  })
  .strict();
export type HealthQuery = z.infer<typeof HealthQuerySchema>;

export const AttentionItemSchema = z
  .object({
    id: z.string(),
    account: z.string(),
    provider: z.string(),
    authorisationId: z.string(),
    status: CaptureStatusSchema,
    reason: z
      .enum(['unknown', 'pending_too_long', ...FLAG_REASONS])
      .describe(
        "unknown: its call ended without an answer we trust; pending_too_long: pending past the account's pendingCheckAfterSeconds; " +
          'flagged, until an operator acknowledges or resolves it: contradicted (final, but a report asked for the other final status), ' +
          'amount_above_requested, amount_differs or currency_differs (a success reported for more than or other than was asked, or in another currency; not applied)',
      ),
    since: z.iso.datetime().describe('Created (unknown), last changed (pending) or flagged (the flag reasons)'),
    ageSeconds: z.int().min(0),
    requestedAmount: MoneySchema.optional(),
    providerCaptureId: z.string().optional(),
    errorCode: ErrorCodeSchema.optional(),
  })
  .meta({ id: 'AttentionItem' });
export type AttentionItem = z.infer<typeof AttentionItemSchema>;

export const AttentionListSchema = z
  .object({ data: z.array(AttentionItemSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AttentionList' });

const CountsSchema = z.object(Object.fromEntries(PROVIDER_OUTCOMES.map((k) => [k, z.int().min(0)])) as Record<string, z.ZodInt>);
const RatesSchema = z.object(Object.fromEntries(PROVIDER_OUTCOMES.map((k) => [k, z.number().min(0).max(1).nullable()])));
const LatencySchema = z
  .object({ p50: z.int().nullable(), p95: z.int().nullable(), p99: z.int().nullable() })
  .describe(
    "Nearest-rank percentiles of the provider call's duration, ms, to its latency bin (the bin's lower edge: exact below 100 ms, then at most 5 % under); null when nothing answered",
  );

export const ProviderHealthSchema = z
  .object({
    account: z.string(),
    provider: z.string(),
    total: z
      .int()
      .min(0)
      .describe('Captures created in the window whose first answer is stored and came from the provider (not a refusal that sent nothing)'),
    counts: CountsSchema,
    rates: RatesSchema.describe('Each count over total; null when total is 0'),
    latencyMs: LatencySchema,
    series: z.array(z.object({ start: z.iso.datetime(), total: z.int().min(0), counts: CountsSchema, latencyMs: LatencySchema })),
  })
  .meta({ id: 'ProviderHealth' });
export type ProviderHealth = z.infer<typeof ProviderHealthSchema>;

export const HealthReportSchema = z
  .object({
    window: z.enum(['15m', '1h']),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    bucketSeconds: z.int(),
    accounts: z.array(ProviderHealthSchema),
  })
  .meta({ id: 'HealthReport' });
export type HealthReport = z.infer<typeof HealthReportSchema>;

/** The operator session the ops page holds: who, until when, and the CSRF token it sends on changes. */
export const OpsSessionSchema = z
  .object({
    client: z.string().describe('The client whose key opened the session'),
    keyId: z.string().describe('The id of that key (never the key): history records `client/keyId` as the actor'),
    scopes: z.array(z.string()).describe("The key's scopes, which the session has and no more"),
    expiresAt: z.iso.datetime().describe('15 minutes after the last use; each use past the first minute renews it'),
    csrfToken: z.string().describe('Send as `X-CSRF-Token` on every state-changing request made with the session cookie'),
  })
  .strict()
  .meta({ id: 'OpsSession' });
