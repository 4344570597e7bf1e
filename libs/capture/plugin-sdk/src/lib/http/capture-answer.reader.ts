import { type CaptureOutcomeInput, DomainError, type Money } from '@capture-gateway/domain';
import type { z } from 'zod';
import type { PluginContext } from '../plugin.contract';
import { redact } from '../secrets';
import { type CaptureReading, type OutcomeRules, outcomeFromReading, outcomeFromRefusal } from './capture-reading.mapper';
import type { HttpCaptureContext } from './http-capture.types';
import { type ProviderErrorDetail, invalidResponseOutcome } from './http-status.mapper';
import type { ProviderAnswer } from './provider-http.client';

/** What reading a capture's answer needs of a plugin's spec. */
export interface AnswerSpec<TConfig> {
  displayName: string;
  answerSchema: z.ZodType;
  readAnswer(answer: unknown, context: HttpCaptureContext<TConfig>, requested?: Money): CaptureReading;
  errorSchema: z.ZodType;
  readError(body: unknown): ProviderErrorDetail | undefined;
  errorBodyAlways?: boolean;
}

// After an answer arrived the provider may have captured: whatever goes wrong reading it is `unknown`.
export function readCaptureAnswer<TConfig>(
  spec: AnswerSpec<TConfig>,
  answer: ProviderAnswer,
  requested: Money | undefined,
  ctx: HttpCaptureContext<TConfig>,
  rules: OutcomeRules,
  context: PluginContext,
): CaptureOutcomeInput {
  const { status, body } = answer;
  try {
    if (status < 200 || status >= 300) {
      const error = spec.errorSchema.safeParse(body);
      if (!error.success && spec.errorBodyAlways && status >= 400 && status < 500 && status !== 404) {
        return notTheProvidersError(status, spec.displayName);
      }
      return outcomeFromRefusal(status, error.success ? spec.readError(error.data) : undefined, rules);
    }
    const parsed = spec.answerSchema.safeParse(body);
    if (!parsed.success) return invalidResponseOutcome(status, spec.displayName, describeInvalid(body, parsed.error));
    return outcomeFromReading(spec.readAnswer(parsed.data, ctx, requested), requested, rules);
  } catch (error) {
    if (error instanceof DomainError) return invalidResponseOutcome(status, spec.displayName, redact(error.message, rules.secrets));
    context.logger.error(`${spec.displayName} plugin could not read an answer`, { error: (error as Error)?.name, httpStatus: status });
    return invalidResponseOutcome(status, spec.displayName, 'the answer could not be read');
  }
}

// Someone between us and the provider answered (a proxy, a firewall): the capture may have gone on.
function notTheProvidersError(status: number, providerName: string): CaptureOutcomeInput {
  const message = `${providerName} sent a response we cannot read (HTTP ${status}): not its error body, so not its answer; the capture may or may not have happened`;
  return { status: 'unknown', error: { code: 'provider_response_invalid', message } };
}

// Issue paths and zod's own messages only: a received value may be a card number or a secret.
function describeInvalid(body: unknown, error: z.ZodError): string {
  if (body === undefined) return 'the body is not JSON';
  const issues = error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  return `the body does not match the documented capture response (${issues.join('; ')})`;
}
