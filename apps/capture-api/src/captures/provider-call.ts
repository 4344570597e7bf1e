import { type CaptureOutcome, CaptureOutcomeSchema } from '@capture-gateway/domain';
import { type CaptureCallOptions, type CaptureCheckRequest, redact, type ProviderCaptureRequest } from '@capture-gateway/plugin-sdk';
import { type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { CaptureAttributes } from '../observability/tracing/tracer';
import { inActiveSpan } from '../observability/tracing/active-span';
import type { CheckAnswer } from '@capture-gateway/domain';
import type { ProviderAccount } from '../plugins/plugin.registry';

import { PROVIDER_GRACE_MS } from '../config/config.schemas';

const unknownOutcome = (code: 'provider_timeout' | 'provider_response_invalid' | 'internal_error', message: string): CaptureOutcome => ({
  status: 'unknown',
  error: { code, message },
  references: {},
});

/**
 * Calls the plugin once. Whatever happens (a throw, a hang, an answer that is not an outcome), the
 * result is an outcome, never an exception: the record must be updated, never lost.
 */
export function callProvider(account: ProviderAccount, request: ProviderCaptureRequest, requestId: string): Promise<CaptureOutcome> {
  return inActiveSpan(`capture ${account.plugin.id}`, providerSpan(account, 'capture'), async (span) => {
    const outcome = await captureOnce(account, request, requestId);
    span.setAttribute(CaptureAttributes.outcome, outcome.status);
    if (outcome.status === 'failed' || outcome.status === 'unknown') span.setAttribute(CaptureAttributes.errorCode, outcome.error.code);
    if (outcome.status === 'unknown') span.setStatus({ code: SpanStatusCode.ERROR });
    return outcome;
  });
}

async function captureOnce(account: ProviderAccount, request: ProviderCaptureRequest, requestId: string): Promise<CaptureOutcome> {
  try {
    const raw = await withDeadline(account, (call) => account.provider.capture(request, call), requestId);
    if (raw === DEADLINE) return unknownOutcome('provider_timeout', `${account.plugin.displayName} did not answer in time`);
    const parsed = CaptureOutcomeSchema.safeParse(raw);
    if (!parsed.success) return unknownOutcome('provider_response_invalid', `The ${account.plugin.id} plugin returned an invalid outcome`);
    return withoutSecrets(parsed.data, account.secrets);
  } catch {
    return unknownOutcome('internal_error', `The ${account.plugin.id} plugin failed; the capture may or may not have happened`);
  }
}

/** What a status check came to, always: a hang, a throw or a malformed answer is `cannot_tell`. */
export interface CheckOutcome {
  answer: CheckAnswer;
  outcome?: CaptureOutcome;
  message?: string;
}

/** Asks the plugin what became of a capture, once, within the account's timeout. Never sends a capture. */
export function checkAtProvider(account: ProviderAccount, request: CaptureCheckRequest, requestId: string): Promise<CheckOutcome> {
  return inActiveSpan(`check ${account.plugin.id}`, providerSpan(account, 'check'), async (span: Span) => {
    const checked = await checkOnce(account, request, requestId);
    span.setAttribute(CaptureAttributes.outcome, checked.answer);
    return checked;
  });
}

// Names only: the plugin, the account, the operation. Never settings, credentials or the request's card data.
function providerSpan(account: ProviderAccount, operation: 'capture' | 'check') {
  return {
    kind: SpanKind.CLIENT,
    attributes: {
      [CaptureAttributes.pluginId]: account.plugin.id,
      [CaptureAttributes.account]: account.id,
      [CaptureAttributes.operation]: operation,
    },
  };
}

async function checkOnce(account: ProviderAccount, request: CaptureCheckRequest, requestId: string): Promise<CheckOutcome> {
  const check = account.provider.checkCapture?.bind(account.provider);
  if (!check) return { answer: 'cannot_tell', message: `The ${account.plugin.id} plugin cannot check a capture` };
  try {
    const raw = await withDeadline(account, (call) => check(request, call), requestId);
    if (raw === DEADLINE)
      return { answer: 'cannot_tell', message: `${account.plugin.displayName} did not answer the status check in time` };
    if (raw.status === 'found') {
      const parsed = CaptureOutcomeSchema.safeParse(raw.outcome);
      if (!parsed.success) return { answer: 'cannot_tell', message: `The ${account.plugin.id} plugin returned an invalid outcome` };
      return { answer: 'found', outcome: withoutSecrets(parsed.data, account.secrets) };
    }
    const message = raw.message === undefined ? {} : { message: redact(raw.message, account.secrets).slice(0, 500) };
    if (raw.status === 'not_received') return { answer: 'not_received', ...message };
    return { answer: 'cannot_tell', ...message };
  } catch {
    return { answer: 'cannot_tell', message: `The ${account.plugin.id} plugin failed during the status check` };
  }
}

const DEADLINE = Symbol('deadline');

// The plugin's own timeout applies to its call; past it and a grace, we stop waiting and abort.
async function withDeadline<T>(
  account: ProviderAccount,
  work: (call: CaptureCallOptions) => Promise<T>,
  requestId: string,
): Promise<T | typeof DEADLINE> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof DEADLINE>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(DEADLINE);
    }, account.timeoutMs + PROVIDER_GRACE_MS);
  });
  try {
    return await Promise.race([work({ signal: controller.signal, requestId }), deadline]);
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
