import { CaptureOutcomeSchema, type CaptureOutcome } from '@capture-gateway/domain';
import type { AnyCapturePlugin, ProviderCaptureRequest } from '../lib/plugin.contract';
import { createMemoryLogger, type MemoryLogger } from './memory-logger';
import { type SandboxReply, startSandboxServer } from './sandbox-server';

export interface ScriptedProvider {
  /** Captures once against a server that answers exactly `reply`; resolves to the checked outcome. */
  answer(reply: SandboxReply, request: ProviderCaptureRequest): Promise<CaptureOutcome>;
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
  const server = await startSandboxServer(() => next);
  const logger = createMemoryLogger();
  const provider = plugin.create(plugin.configSchema.parse(accountConfig(server.baseUrl)), {
    accountId: 'scripted',
    logger,
    timeoutMs: 5_000,
  });
  return {
    logger,
    async answer(reply, request) {
      next = reply;
      return CaptureOutcomeSchema.parse(await provider.capture(request));
    },
    close: () => server.close(),
  };
}
