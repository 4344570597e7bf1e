import { type CaptureOutcome, CaptureOutcomeSchema } from '@capture-gateway/domain';
import { redact, type ProviderCaptureRequest } from '@capture-gateway/plugin-sdk';
import type { ProviderAccount } from '../plugins/plugin.registry';

// Beyond the plugin's own timeout, a margin before we stop waiting for a plugin that ignores its signal.
export const GRACE_MS = 2_000;

const unknownOutcome = (code: 'provider_timeout' | 'provider_response_invalid' | 'internal_error', message: string): CaptureOutcome => ({
  status: 'unknown',
  error: { code, message },
  references: {},
});

/**
 * Calls the plugin once. Whatever happens (a throw, a hang, an answer that is not an outcome), the
 * result is an outcome, never an exception: the record must be updated, never lost.
 */
export async function callProvider(account: ProviderAccount, request: ProviderCaptureRequest, requestId: string): Promise<CaptureOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('deadline');
    }, account.timeoutMs + GRACE_MS);
  });
  try {
    const raw = await Promise.race([account.provider.capture(request, { signal: controller.signal, requestId }), deadline]);
    if (raw === 'deadline') return unknownOutcome('provider_timeout', `${account.plugin.displayName} did not answer in time`);
    const parsed = CaptureOutcomeSchema.safeParse(raw);
    if (!parsed.success) return unknownOutcome('provider_response_invalid', `The ${account.plugin.id} plugin returned an invalid outcome`);
    return withoutSecrets(parsed.data, account.secrets);
  } catch {
    return unknownOutcome('internal_error', `The ${account.plugin.id} plugin failed; the capture may or may not have happened`);
  } finally {
    clearTimeout(timer);
  }
}

// Plugins redact already; this is the last check before an outcome reaches the database or a client.
function withoutSecrets(outcome: CaptureOutcome, secrets: readonly string[]): CaptureOutcome {
  if (outcome.status !== 'failed' && outcome.status !== 'unknown') return outcome;
  const { error } = outcome;
  const provider = error.provider && {
    ...(error.provider.code !== undefined ? { code: redact(error.provider.code, secrets) } : {}),
    ...(error.provider.message !== undefined ? { message: redact(error.provider.message, secrets) } : {}),
  };
  return { ...outcome, error: { ...error, message: redact(error.message, secrets), ...(provider ? { provider } : {}) } };
}
