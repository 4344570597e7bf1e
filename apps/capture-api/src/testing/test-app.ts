import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, configuredSecrets } from '../app.factory';
import { AppConfigSchema, type LoadedConfig } from '../config/config.schemas';
import { createAppLogger } from '../observability';

export const SHOP_KEY = 'shop_key_0123456789abcdef';
export const OTHER_KEY = 'other_key_0123456789abcdef';
export const MEMORY_API_KEY = 'mem_api_key_SECRET_42';
export const MEMORY_WEBHOOK_SECRET = 'mem_whsec_SECRET_43';

export interface TestApp {
  app: NestFastifyApplication;
  /** Every log line the app wrote, raw. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * The real app in-process on the embedded database, with the memory plugin and two accounts:
 * `shop` may use `mem-us`, `other` may use `mem-eu`.
 */
export async function startTestApp(
  overrides: Record<string, unknown> = {},
  beforeInit?: (app: NestFastifyApplication) => void,
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'capture-app-spec-'));
  const settings = { apiKey: MEMORY_API_KEY, webhookSecret: MEMORY_WEBHOOK_SECRET };
  const config = AppConfigSchema.parse({
    database: { dataDir },
    plugins: [{ module: join(__dirname, 'memory.plugin.ts') }],
    accounts: [
      { id: 'mem-us', plugin: 'memory', settings },
      { id: 'mem-eu', plugin: 'memory', settings },
    ],
    clients: [
      { id: 'shop', apiKey: SHOP_KEY, accounts: ['mem-us'] },
      { id: 'other', apiKey: OTHER_KEY, accounts: ['mem-eu'] },
    ],
    ...overrides,
  });
  const loaded: LoadedConfig = { file: 'test.yaml', dir: __dirname, config };
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const appLogger = createAppLogger({ level: 'debug', secrets: configuredSecrets(loaded), destination });
  const app = await createApp({ loaded, appLogger });
  beforeInit?.(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    logs,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One request to the in-process app with `key` as bearer; a capture (POST /v1/captures) brings a
 * fresh Idempotency-Key, as the service requires by default.
 */
export function callApp(t: TestApp, method: 'GET' | 'POST', url: string, key: string, payload?: object) {
  const idempotency = method === 'POST' && url === '/v1/captures' ? { 'idempotency-key': randomUUID() } : {};
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...idempotency }, ...(payload ? { payload } : {}) });
}
