// The transports the bench compares, each behind one function: send capture `id`, return the answer's id.
import ky from 'ky';
import { Agent } from 'undici';
import { createProviderHttp } from '../src/lib/http/provider-http.client';
import { createUndiciFetch } from '../src/lib/http/undici-fetch.transport';

export type Call = (id: number) => Promise<{ status: number; id: unknown }>;

export const VARIANTS = {
  'a-ky-global-fetch': 'ky on the global fetch (the SDK before this change)',
  'b-ky-fetch-agent': 'ky on fetch with an undici keep-alive Agent dispatcher (pipelining 10)',
  'c-ky-undici-request': 'ky on createUndiciFetch: undici.request on a kept-alive Agent (the SDK before issue 25)',
  'd-undici-request': 'bare undici.request on a kept-alive Agent (the floor)',
  'e-sdk-helper': 'the whole SDK helper (createProviderHttp: undici.request, timeout, cap, redaction; the SDK now)',
} as const;
export type VariantName = keyof typeof VARIANTS;

const PATH = 'v1/captures';
const TIMEOUT_MS = 10_000;
const headers = { accept: 'application/json', authorization: 'Bearer sk_bench_secret' };

export function variant(name: VariantName, baseUrl: string): { call: Call; close(): Promise<void> } {
  const kyOn = (fetch?: typeof globalThis.fetch) =>
    ky.create({ prefix: baseUrl, timeout: TIMEOUT_MS, retry: 0, throwHttpErrors: false, headers, ...(fetch ? { fetch } : {}) });
  const viaKy =
    (client: ReturnType<typeof kyOn>): Call =>
    async (id) => {
      const response = await client.post(PATH, { json: { id, amount: 1050 } });
      return { status: response.status, id: (JSON.parse(await response.text()) as { id: unknown }).id };
    };
  switch (name) {
    case 'a-ky-global-fetch':
      return { call: viaKy(kyOn()), close: async () => undefined };
    case 'b-ky-fetch-agent': {
      const agent = new Agent({ connections: 64, pipelining: 10, keepAliveTimeout: 4_000 });
      const fetch = ((input: Request | string | URL, init?: RequestInit) =>
        globalThis.fetch(input, { ...init, dispatcher: agent } as RequestInit)) as typeof globalThis.fetch;
      return { call: viaKy(kyOn(fetch)), close: () => agent.close() };
    }
    case 'c-ky-undici-request': {
      const transport = createUndiciFetch({ maxResponseBytes: 1024 * 1024 });
      return { call: viaKy(kyOn(transport.fetch)), close: () => transport.close() };
    }
    case 'd-undici-request': {
      const agent = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 4_000 });
      const { origin } = new URL(baseUrl);
      const call: Call = async (id) => {
        const answer = await agent.request({
          origin,
          path: `/${PATH}`,
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ id, amount: 1050 }),
          headersTimeout: TIMEOUT_MS,
          bodyTimeout: TIMEOUT_MS,
        });
        return { status: answer.statusCode, id: ((await answer.body.json()) as { id: unknown }).id };
      };
      return { call, close: () => agent.close() };
    }
    case 'e-sdk-helper': {
      const http = createProviderHttp({ providerName: 'Bench', baseUrl, timeoutMs: TIMEOUT_MS, headers, secrets: ['sk_bench_secret'] });
      const call: Call = async (id) => {
        const answer = await http.post(PATH, { id, amount: 1050 });
        if (answer.kind !== 'answer') throw new Error(`no answer: ${answer.outcome.status}`);
        return { status: answer.status, id: (answer.body as { id: unknown }).id };
      };
      return { call, close: () => http.close() };
    }
  }
}
