import { Agent, request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ErrorCodeSchema } from '@capture-gateway/domain';
import { z } from 'zod';
import { postgresBackend } from './backends';
import { MULTI_WEBHOOK_SECRET, multiEnv, multiProvider, OTHER_KEY, SHOP_KEY, writeConfig } from './config-file';
import { type FakeSandbox, startFakeSandbox } from './fake-sandbox';
import type { FuzzRequest } from './fuzz-requests';
import { type ServiceProcess, startProcess } from './service';
import { signFakeWebhook } from './fixtures/multi.plugin';

// The service the fuzz and input-limit specs hammer: on PostgreSQL, with the multi-capture fake
// provider (signed webhooks), two clients, events written but never delivered, and a failed-auth
// limit high enough for generated wrong keys.

/** The one error shape: a known code, a message, the field at fault where one is. */
export const ErrorShape = z
  .object({
    error: z
      .object({
        code: ErrorCodeSchema,
        message: z.string(),
        param: z.string().optional(),
        provider: z.object({ code: z.string().optional(), message: z.string().optional() }).strict().optional(),
      })
      .strict(),
    // A failed capture is answered with its record beside the error.
    capture: z.object({ id: z.string() }).loose().optional(),
    requestId: z.string().min(1),
  })
  .strict();

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export function send(baseUrl: string, agent: Agent | false, fuzz: FuzzRequest): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const body = fuzz.body === undefined ? undefined : Buffer.from(fuzz.body, 'utf8');
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: fuzz.method,
        path: fuzz.path,
        agent,
        headers: { ...fuzz.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface FuzzService {
  url: string;
  sandbox: FakeSandbox;
  agent: Agent;
  /** POST a JSON body as the shop client; a capture brings a fresh Idempotency-Key. */
  post(
    path: string,
    body: unknown,
    key?: string,
  ): Promise<{ status: number; body: { error?: { code: string; param?: string }; id?: string } }>;
  /** The provider's signature header for a webhook body. */
  sign(body: string): Record<string, string>;
  close(): Promise<void>;
}

export async function startFuzzService(concurrency: number): Promise<FuzzService> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const sandbox = await startFakeSandbox();
  const db = await postgresBackend.create();
  const config = writeConfig({
    database: db.database,
    ...multiProvider(1_000),
    clients: [
      {
        id: 'shop',
        keys: [{ key: { env: 'SHOP_API_KEY' }, scopes: ['captures:create', 'captures:read', 'captures:resolve'] }],
        accounts: ['multi-us'],
        // Events are written (the outbox) but never delivered: the endpoint is not called.
        subscriptions: [{ id: 'orders', url: 'http://127.0.0.1:9/events', secrets: [{ env: 'SHOP_SECRET' }] }],
      },
      { id: 'other', apiKey: { env: 'OTHER_API_KEY' }, accounts: ['multi-eu'] },
    ],
    events: { delivery: { enabled: false } },
    // The generated wrong keys would otherwise lock the test's own address out after 10 failures.
    auth: { maxFailures: 10_000, windowSeconds: 1 },
  });
  const service: ServiceProcess = await startProcess(config, {
    ...multiEnv(sandbox),
    SHOP_API_KEY: SHOP_KEY,
    OTHER_API_KEY: OTHER_KEY,
    SHOP_SECRET: 'whsec_shop_fuzz_0123456789',
  });
  return {
    url: service.url,
    sandbox,
    agent,
    post: async (path, body, key = SHOP_KEY) => {
      const answer = await send(service.url, agent, {
        route: path,
        method: 'POST',
        path,
        // Captures need an Idempotency-Key by default: each post brings a fresh one.
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify(body),
      });
      return { status: answer.status, body: JSON.parse(answer.text) };
    },
    sign: (body) => ({ 'x-fake-signature': signFakeWebhook(MULTI_WEBHOOK_SECRET, body) }),
    close: async () => {
      agent.destroy();
      await service.close();
      await sandbox.close();
      await db.destroy();
    },
  };
}
