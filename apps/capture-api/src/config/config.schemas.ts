import { SlugSchema } from '@capture-gateway/domain';
import { PROVIDER_HTTP_CONNECTIONS } from '@capture-gateway/plugin-sdk';
import { isIP } from 'node:net';
import { z } from 'zod';
import { ClientSchema } from './clients.schemas';

const PluginEntrySchema = z.object({ module: z.string().min(1).describe('A workspace library, an npm package, or a file path') }).strict();

// Each slot is one call in flight at the account's provider; a capture that gets none in time is refused
// (503 provider_busy), never sent, never stored. Defaults are resolved in `captures/provider-slots.settings.ts`.
const ProviderSlotsSchema = z
  .object({
    slots: z
      .int()
      .min(1)
      .max(PROVIDER_HTTP_CONNECTIONS, { error: `must be at most the provider HTTP pool's ${PROVIDER_HTTP_CONNECTIONS} connections` })
      .default(PROVIDER_HTTP_CONNECTIONS)
      .describe("Calls in flight at once at the account's provider, over all clients"),
    perClient: z.int().min(1).optional().describe('Slots one API client may hold at once (default: half of slots, rounded up)'),
    waitMs: z
      .int()
      .min(0)
      .optional()
      .describe(
        'How long a capture waits for a slot before 503 provider_busy (default: 1000, or half of timeoutMs if less); below timeoutMs',
      ),
    reconciler: z
      .int()
      .min(1)
      .optional()
      .describe("Slots the reconciler's re-sends and status checks may hold at once (default: an eighth of slots, at least 1)"),
  })
  .strict()
  .prefault({});

const AccountSchema = z
  .object({
    id: SlugSchema,
    plugin: z.string().min(1),
    timeoutMs: z.int().min(100).max(120_000).default(10_000),
    pendingCheckAfterSeconds: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 86_400)
      .default(900)
      .describe('A capture pending this long is checked at the provider, where its plugin can check'),
    settings: z.record(z.string(), z.unknown()).default({}),
    providerSlots: ProviderSlotsSchema,
  })
  .strict()
  .superRefine((account, ctx) => {
    const { slots, perClient, reconciler, waitMs } = account.providerSlots;
    const at = (field: string) => ['providerSlots', field];
    if (perClient !== undefined && perClient > slots)
      ctx.addIssue({ code: 'custom', path: at('perClient'), message: `must be at most slots (${slots})` });
    if (reconciler !== undefined && reconciler > slots)
      ctx.addIssue({ code: 'custom', path: at('reconciler'), message: `must be at most slots (${slots})` });
    if (waitMs !== undefined && waitMs >= account.timeoutMs) {
      ctx.addIssue({ code: 'custom', path: at('waitMs'), message: `must be shorter than the account's timeoutMs (${account.timeoutMs})` });
    }
  });

// A proxy to trust: an IPv4/IPv6 address, a CIDR block, or one of proxy-addr's names.
const TrustedProxySchema = z.string().refine((value) => isTrustedProxy(value), {
  error: 'must be an IP address, a CIDR block (10.0.0.0/8), loopback, linklocal or uniquelocal',
});

function isTrustedProxy(value: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(value)) return true;
  const [address = '', prefix, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** Beyond an account's timeout, how long the service waits for a plugin that ignores its abort signal. */
export const PROVIDER_GRACE_MS = 2_000;

export const AppConfigSchema = z
  .object({
    server: z
      .object({
        port: z.coerce.number().int().min(0).max(65535).optional(),
        host: z.string().optional(),
        trustProxy: z
          .union([z.int().min(0).max(64), z.array(TrustedProxySchema).min(1)])
          .optional()
          .describe(
            'Behind a proxy or load balancer: how many hops to trust, or the addresses/CIDRs of the trusted proxies. The client IP (rate limit, logs) is then read from X-Forwarded-For',
          ),
        requestTimeoutMs: z.coerce
          .number()
          .int()
          .min(100)
          .max(300_000)
          .default(10_000)
          .describe('A client must send its whole request (headers and body) within this long, or its connection is closed'),
        keepAliveTimeoutMs: z.coerce
          .number()
          .int()
          .min(100)
          .max(600_000)
          .default(5_000)
          .describe(
            "An idle kept-alive connection is closed after this long; behind a load balancer, set it above the balancer's idle timeout",
          ),
      })
      .strict()
      .prefault({}),
    database: z
      .object({
        url: z.string().optional().describe('PostgreSQL URL; absent: the embedded database'),
        dataDir: z.string().optional().describe('Folder of the embedded database'),
        synchronous: z
          .enum(['full', 'normal'])
          .optional()
          .describe(
            'Embedded database only. full (default): every commit is fsynced, survives a power loss. normal: survives a process crash; a power loss may drop the last commits',
          ),
        schema: z
          .string()
          .regex(/^[a-z_][a-z0-9_]{0,62}$/)
          .optional()
          .describe('PostgreSQL schema to use'),
        statementTimeoutMs: z.coerce
          .number()
          .int()
          .min(100)
          .max(3_600_000)
          .default(30_000)
          .describe(
            'PostgreSQL only: the server cancels any statement running longer (its statement_timeout); with transactionPooling, set on the role and checked at start-up',
          ),
        transactionPooling: z
          .boolean()
          .default(false)
          .describe(
            'PostgreSQL reached through a pooler in transaction mode (PgBouncer pool_mode = transaction): unnamed statements, nothing set per connection (the schema and statement_timeout come from the role, checked at start-up)',
          ),
        embeddedInProduction: z
          .boolean()
          .default(false)
          .describe('With NODE_ENV=production, start on the embedded database only when this is true (one process, one machine)'),
        outcomeRetrySeconds: z.coerce
          .number()
          .int()
          .min(10)
          .max(86_400)
          .default(300)
          .describe("How long a provider's answer is kept and its write retried while the database is unreachable"),
      })
      .strict()
      .prefault({}),
    idempotency: z
      .object({
        leaseSeconds: z.coerce.number().int().min(1).max(3600).default(30),
        required: z.boolean().default(true).describe('Refuse a capture without an Idempotency-Key (400 idempotency_key_required)'),
        retentionHours: z.coerce
          .number()
          .int()
          .min(24)
          .max(24 * 365)
          .default(72)
          .describe('Keys, and provider webhook event ids, are kept this long; then a key may be used again'),
      })
      .strict()
      .prefault({}),
    metrics: z
      .object({
        token: z
          .string()
          .min(16, { error: 'must be at least 16 characters' })
          .optional()
          .describe('When set, GET /metrics needs Authorization: Bearer <token>'),
        port: z.coerce
          .number()
          .int()
          .min(0)
          .max(65535)
          .optional()
          .describe('When set, /metrics is served on this port (on server.host) and no longer on the main port'),
      })
      .strict()
      .prefault({}),
    auth: z
      .object({
        maxFailures: z.coerce.number().int().min(1).max(10_000).default(10).describe('Failed authentications per client IP per window'),
        windowSeconds: z.coerce.number().int().min(1).max(86_400).default(60),
      })
      .strict()
      .prefault({}),
    reconciler: z
      .object({
        enabled: z.boolean().default(true).describe('Run the reconciler in this process (every replica may)'),
        intervalMs: z.coerce.number().int().min(50).max(3_600_000).default(5_000).describe('How often to look for due checks'),
        batchSize: z.coerce.number().int().min(1).max(500).default(20),
        leaseSeconds: z.coerce
          .number()
          .int()
          .min(5)
          .max(3_600)
          .default(120)
          .describe('How long a replica holds a check before another may take it'),
        backoffSeconds: z
          .array(
            z.coerce
              .number()
              .int()
              .min(1)
              .max(7 * 86_400),
          )
          .min(1)
          .default([60, 300, 1_800, 7_200, 43_200])
          .describe('Waits before each check of a capture in doubt; the last repeats'),
        maxResends: z.coerce
          .number()
          .int()
          .min(0)
          .max(10)
          .default(3)
          .describe(
            'Re-sends of a capture in doubt to a provider that promises idempotent captures (the same key, never captured twice), before status checks or an operator; 0: never',
          ),
      })
      .strict()
      .prefault({}),
    events: z
      .object({
        retentionDays: z.coerce.number().int().min(1).max(3_650).default(30).describe('Events are listed and kept this long'),
        delivery: z
          .object({
            enabled: z.boolean().default(true).describe('Deliver events from this process (every replica may)'),
            intervalMs: z.coerce.number().int().min(20).max(60_000).default(1_000),
            timeoutMs: z.coerce.number().int().min(100).max(60_000).default(10_000).describe('Per delivery attempt'),
            leaseSeconds: z.coerce.number().int().min(5).max(3_600).default(60),
            initialBackoffSeconds: z.coerce.number().min(0.05).max(3_600).default(10),
            maxBackoffSeconds: z.coerce.number().min(0.05).max(86_400).default(3_600),
            retryForHours: z.coerce
              .number()
              .min(0.001)
              .max(24 * 30)
              .default(72)
              .describe('Then a delivery is given up (redeliver by API)'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    plugins: z.array(PluginEntrySchema).min(1),
    accounts: z.array(AccountSchema).min(1),
    clients: z.array(ClientSchema).min(1),
  })
  .strict();

export type AppConfig = z.output<typeof AppConfigSchema>;
export type AccountConfig = AppConfig['accounts'][number];
export type ClientConfig = AppConfig['clients'][number];

/** A validated config and where it came from: relative plugin paths resolve against `dir`. */
export interface LoadedConfig {
  file: string;
  dir: string;
  config: AppConfig;
}
