import type { RunningServer, SandboxReply } from './sandbox-server';

/**
 * What every provider sandbox's `start…Sandbox(options)` accepts; a sandbox may add its own fields.
 * `webhookUrl`: where the sandbox sends its signed webhooks (the service's `/v1/webhooks/<account>`),
 * signed with the `webhookSecret` of its `accountSettings`. Without it, no webhook is sent.
 */
export interface SandboxStartOptions {
  port?: number;
  host?: string;
  webhookUrl?: string;
}

/** What every provider sandbox returns. */
export interface ProviderSandbox extends RunningServer {
  /**
   * Everything an account needs to use this sandbox, named exactly like the plugin's `configSchema`
   * fields: `baseUrl`, the credentials, and the webhook secret where there is one. A config of
   * `accountSettings` alone passes the plugin's `configSchema`.
   */
  readonly accountSettings: Readonly<Record<string, string>>;
  /** Forgets seeded authorisations, scripts, counts and scheduled webhooks (not `webhookUrl`). */
  reset(): void;
  /** Capture requests that reached the sandbox, whatever it answered. */
  capturesReceived(): number;
}

/** The outcomes every sandbox lets an authorisation id pick by its prefix: `decline-42`, `timeout-1`. */
export const SANDBOX_MAGIC = ['decline', 'timeout', 'error', 'garbage', 'notfound'] as const;
export type SandboxMagic = (typeof SANDBOX_MAGIC)[number];

/** The magic behaviour an authorisation id asks for, if any. */
export function sandboxMagic(authorisationId: string): SandboxMagic | undefined {
  return SANDBOX_MAGIC.find((magic) => authorisationId.startsWith(`${magic}-`));
}

/** `timeout-…` never answers, so the caller's timeout fires. */
export const SILENCE: SandboxReply = { silence: true };

/** POSTs one webhook delivery as a provider would; resolves to the status the receiver answered. */
export async function postWebhook(url: string, rawBody: string, headers: Record<string, string> = {}): Promise<number> {
  return (await deliverWebhook(url, rawBody, headers)).status;
}

/**
 * POSTs one webhook delivery and resolves to the whole answer, for a provider that reads its body
 * (Adyen counts a delivery as delivered only when the body is `[accepted]`).
 */
export async function deliverWebhook(
  url: string,
  rawBody: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string | null; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: rawBody,
    signal: AbortSignal.timeout(5_000),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}
