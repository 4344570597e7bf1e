import { SlugSchema } from '@capture-gateway/domain';
import { z } from 'zod';

const PluginEntrySchema = z.object({ module: z.string().min(1).describe('A workspace library, an npm package, or a file path') }).strict();

const AccountSchema = z
  .object({
    id: SlugSchema,
    plugin: z.string().min(1),
    timeoutMs: z.int().min(100).max(120_000).default(10_000),
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

const ClientSchema = z
  .object({
    id: SlugSchema,
    apiKey: z.string().min(16, { error: 'must be at least 16 characters' }),
    accounts: z.union([z.literal('*'), z.array(SlugSchema).min(1)]),
  })
  .strict();

export const AppConfigSchema = z
  .object({
    server: z
      .object({ port: z.coerce.number().int().min(0).max(65535).optional(), host: z.string().optional() })
      .strict()
      .default({}),
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
      })
      .strict()
      .default({}),
    idempotency: z
      .object({ leaseSeconds: z.coerce.number().int().min(1).max(3600).default(30) })
      .strict()
      .default({ leaseSeconds: 30 }),
    auth: z
      .object({
        maxFailures: z.coerce.number().int().min(1).max(10_000).default(10).describe('Failed authentications per client IP per window'),
        windowSeconds: z.coerce.number().int().min(1).max(86_400).default(60),
      })
      .strict()
      .default({ maxFailures: 10, windowSeconds: 60 }),
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
