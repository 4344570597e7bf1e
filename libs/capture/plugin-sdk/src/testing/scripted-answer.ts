import { CaptureOutcomeSchema, type CaptureOutcome } from '@capture-gateway/domain';
import type { AnyCapturePlugin, CaptureCheck, CaptureCheckRequest, ProviderCaptureRequest } from '../lib/plugin.contract';
import { createMemoryLogger, type MemoryLogger } from './memory-logger';
import { type SandboxReply, startSandboxServer } from './sandbox-server';

export interface ScriptedProvider {
  /** Captures once against a server that answers exactly `reply`; resolves to the checked outcome. */
  answer(reply: SandboxReply, request: ProviderCaptureRequest): Promise<CaptureOutcome>;
  /** Checks once (`checkCapture`, for a plugin with `statusCheck`) against a server that answers exactly `reply`. */
  check(reply: SandboxReply, request: CaptureCheckRequest): Promise<CaptureCheck>;
  /** Every request the server received, as `"GET /path"`: to see what was sent, and that nothing was retried. */
  readonly received: string[];
  readonly logger: MemoryLogger;
  close(): Promise<void>;
}

/**
 * A plugin bound to a server that answers what a test scripts, so a mapper is tested through the
 * real skeleton (status rules, redaction, amount checks) with one line per answer.
 */
export async function startScriptedProvider(
  plugin: AnyCapturePlugin,
  accountConfig: (baseUrl: string) => unknown,
): Promise<ScriptedProvider> {
  let next: SandboxReply = { status: 500 };
  const received: string[] = [];
  const server = await startSandboxServer((request) => {
    received.push(`${request.method} ${request.path}`);
    return next;
  });
  const logger = createMemoryLogger();
  const provider = plugin.create(plugin.configSchema.parse(accountConfig(server.baseUrl)), {
    accountId: 'scripted',
    logger,
    timeoutMs: 5_000,
  });
  return {
    logger,
    received,
    async answer(reply, request) {
      next = reply;
      return CaptureOutcomeSchema.parse(await provider.capture(request));
    },
    async check(reply, request) {
      if (!provider.checkCapture) throw new Error(`${plugin.displayName} has no checkCapture: declare its statusCheck`);
      next = reply;
      return provider.checkCapture(request);
    },
    close: () => server.close(),
  };
}
