import {
  type CaptureOutcomeInput,
  DomainError,
  type ErrorCode,
  type MinorUnitOverrides,
  type Money,
  moneyConversions,
} from '@capture-gateway/domain';
import type { z } from 'zod';
import {
  type CaptureProvider,
  type CaptureUpdate,
  type CapturePlugin,
  type PluginCapabilities,
  type PluginContext,
  type ProviderCaptureRequest,
  type WebhookDelivery,
  definePlugin,
} from '../plugin.contract';
import { type CapabilityCheckInput, capabilityRefusal } from '../capability-check';
import { redact, secretValues } from '../secrets';
import { type CaptureReading, type OutcomeRules, outcomeFromReading, outcomeFromRefusal } from './capture-reading.mapper';
import type { ProviderErrorDetail } from './http-status.mapper';
import { invalidResponseOutcome } from './http-status.mapper';
import { withBaseUrlPolicy } from './base-url-policy';
import { type HttpStatusCheckSpec, createStatusCheck } from './http-status-check';
import { type ProviderAnswer, createProviderHttp } from './provider-http.client';
import type { HttpCaptureContext, HttpWebhookContext } from './http-capture.types';

/**
 * A provider that speaks JSON over HTTP, written as only what differs from the next one. The
 * skeleton owns the rest: refusing before sending, the one call (timeout, never retried), non-2xx
 * answers, amount and currency checks, redaction, the log line, and the secrets from `secret()`.
 */
export interface HttpCapturePluginSpec<TConfig extends { baseUrl: string }, TOptions, TWire, TAnswer, TError, TStatus = unknown> {
  id: string;
  displayName: string;
  version: string;
  /** `statusCheck` is not given here: declaring the `statusCheck` part below sets it. */
  capabilities: Omit<PluginCapabilities, 'statusCheck'>;
  /**
   * The currencies one account captures in, from its config, where the provider fixes them per
   * account: the provider's `accountCurrencies`. Another currency is `currency_mismatch`, unsent.
   */
  accountCurrencies?(config: TConfig): readonly string[];
  /** Exponents the provider writes currencies with where they differ from ISO 4217: `{ HUF: 0 }`. */
  minorUnits?: MinorUnitOverrides;
  /** The capture endpoint, relative to the account's `baseUrl`. */
  path: string;
  /** Headers of every call: credentials. Values of `secret()` fields are redacted wherever they appear. */
  headers(config: TConfig): Record<string, string>;
  /** Our request to the wire body. Throw a `DomainError` (see `refuse`) to refuse it: nothing is sent. */
  toWire(request: ProviderCaptureRequest<TOptions>, context: HttpCaptureContext<TConfig>): TWire;
  /** A 2xx body, checked with `answerSchema`; a body that fails it is `provider_response_invalid`. */
  answerSchema: z.ZodType<TAnswer>;
  readAnswer(answer: TAnswer, context: HttpCaptureContext<TConfig>): CaptureReading;
  /** A non-2xx body, checked with `errorSchema`: the provider's code and message, if it is its error body. */
  errorSchema: z.ZodType<TError>;
  readError(body: TError): ProviderErrorDetail | undefined;
  /** The provider's codes onto ours, for refusals and declines alike. Unknown codes fall back on the HTTP status. */
  errorCodes: Readonly<Record<string, ErrorCode>>;
  /** true: a success may report less than was asked (the provider's partial authorisation). Never more. */
  capturedAmountMayBeLess?: boolean;
  /** Providers that send webhooks: authenticate, parse, and return one update per capture event. */
  handleWebhook?(delivery: WebhookDelivery, context: HttpWebhookContext<TConfig>): Promise<CaptureUpdate[]>;
  /**
   * Only where the provider documents a status endpoint: gives the plugin `checkCapture` and sets
   * `capabilities.statusCheck`, so the service's reconciler settles captures in doubt through it.
   */
  statusCheck?: HttpStatusCheckSpec<TConfig, TStatus>;
}

/** Refuses a request before anything is sent: a `failed` outcome with this code and message. */
export function refuse(code: ErrorCode, message: string, param?: string): never {
  throw new DomainError(code, message, param);
}

/** Builds a plugin from an HTTP provider's spec. `definePlugin` stays for providers that are not JSON over HTTP. */
export function defineHttpCapturePlugin<
  TConfigSchema extends z.ZodType<{ baseUrl: string }>,
  TOptionsSchema extends z.ZodType = z.ZodType<undefined>,
  TWire = unknown,
  TAnswer = unknown,
  TError = unknown,
  TStatus = unknown,
>(
  spec: HttpCapturePluginSpec<z.output<TConfigSchema>, z.output<TOptionsSchema>, TWire, TAnswer, TError, TStatus> & {
    configSchema: TConfigSchema;
    captureOptionsSchema?: TOptionsSchema;
  },
): CapturePlugin<z.output<TConfigSchema>, z.output<TOptionsSchema>> {
  const { id, displayName, version, captureOptionsSchema, capabilities, minorUnits } = spec;
  // https://, or http:// only to this machine or with the account's allowInsecureHttp: refused at validation.
  const configSchema = withBaseUrlPolicy(spec.configSchema);
  return definePlugin<TConfigSchema, TOptionsSchema>({
    id,
    displayName,
    version,
    configSchema,
    ...(captureOptionsSchema ? { captureOptionsSchema } : {}),
    // Declared by the part that implements it, so a plugin can never claim a check it cannot make.
    capabilities: { ...capabilities, statusCheck: spec.statusCheck !== undefined },
    ...(minorUnits ? { minorUnits } : {}),
    create: (config, context) => createHttpProvider(spec, config, context),
  });
}

type AnySpec<TConfig extends { baseUrl: string }, TOptions> = HttpCapturePluginSpec<
  TConfig,
  TOptions,
  unknown,
  unknown,
  unknown,
  unknown
> & {
  configSchema: z.ZodType;
};

function createHttpProvider<TConfig extends { baseUrl: string }, TOptions>(
  spec: AnySpec<TConfig, TOptions>,
  config: TConfig,
  context: PluginContext,
): CaptureProvider<TOptions> {
  const secrets = secretValues(spec.configSchema, config);
  const rules: OutcomeRules = {
    providerName: spec.displayName,
    errorCodes: spec.errorCodes,
    secrets,
    capturedAmountMayBeLess: spec.capturedAmountMayBeLess,
  };
  const ctx: HttpCaptureContext<TConfig> = { config, money: moneyConversions(spec.minorUnits) };
  const http = createProviderHttp({
    providerName: spec.displayName,
    baseUrl: config.baseUrl,
    timeoutMs: context.timeoutMs,
    headers: { accept: 'application/json', ...spec.headers(config) },
    secrets,
    logger: context.logger,
  });
  const webhook = spec.handleWebhook;
  const statusCheck = spec.statusCheck;
  const outcomeOf = (reading: CaptureReading, requested?: Money) => outcomeFromReading(reading, requested, rules);
  const accountCurrencies = spec.accountCurrencies?.(config);
  const checked = { displayName: spec.displayName, capabilities: spec.capabilities, ...(accountCurrencies ? { accountCurrencies } : {}) };

  return {
    ...(accountCurrencies ? { accountCurrencies } : {}),
    async capture(request, call = {}) {
      const wire = refusalBeforeSending(() => toWireChecked(spec, checked, request, ctx), rules, context);
      if ('refused' in wire) return logged(wire.refused);
      const answer = await http.post(spec.path, wire.body, { signal: call.signal, requestId: call.requestId });
      return logged(answer.kind === 'no-answer' ? answer.outcome : readAnswer(spec, answer, request.amount, ctx, rules, context), answer);

      function logged(outcome: CaptureOutcomeInput, httpAnswer?: { kind: string; status?: number }) {
        context.logger.info(`${spec.displayName} capture answered`, {
          provider: spec.id,
          accountId: context.accountId,
          requestId: call.requestId,
          authorisationId: request.authorisationId,
          httpStatus: httpAnswer?.kind === 'answer' ? httpAnswer.status : undefined,
          outcome: outcome.status,
          code: 'error' in outcome ? outcome.error.code : undefined,
          providerCode: 'error' in outcome ? outcome.error.provider?.code : undefined,
          last4: outcome.card?.last4,
        });
        return outcome;
      }
    },
    close: () => http.close(),
    ...(webhook ? { handleWebhook: (delivery: WebhookDelivery) => webhook(delivery, { ...ctx, secrets, outcomeOf }) } : {}),
    ...(statusCheck
      ? {
          checkCapture: createStatusCheck(statusCheck, {
            providerId: spec.id,
            http,
            rules,
            context,
            ctx,
            readError: (body) => {
              const error = spec.errorSchema.safeParse(body);
              return error.success ? spec.readError(error.data) : undefined;
            },
          }),
        }
      : {}),
  };
}

// The refusals every provider shares (`capabilityRefusal`, exported for the service too), then its own `toWire`.
function toWireChecked<TConfig extends { baseUrl: string }, TOptions>(
  spec: AnySpec<TConfig, TOptions>,
  checked: CapabilityCheckInput,
  request: ProviderCaptureRequest<TOptions>,
  ctx: HttpCaptureContext<TConfig>,
): unknown {
  const refusal = capabilityRefusal(checked, request);
  if (refusal) refuse(refusal.code, `${refusal.message}; nothing was sent`, refusal.param);
  return spec.toWire(request, ctx);
}

// Before the call nothing was sent: whatever goes wrong is `failed`. Only our own DomainErrors are quoted.
function refusalBeforeSending(
  work: () => unknown,
  rules: OutcomeRules,
  context: PluginContext,
): { body: unknown } | { refused: CaptureOutcomeInput } {
  try {
    return { body: work() };
  } catch (error) {
    if (error instanceof DomainError) {
      return { refused: { status: 'failed', error: { code: error.code, message: redact(error.message, rules.secrets) } } };
    }
    context.logger.error(`${rules.providerName} plugin could not build a capture request`, { error: (error as Error)?.name });
    return {
      refused: { status: 'failed', error: { code: 'invalid_request', message: 'The capture could not be sent; nothing was sent' } },
    };
  }
}

// After an answer arrived the provider may have captured: whatever goes wrong reading it is `unknown`.
function readAnswer<TConfig extends { baseUrl: string }, TOptions>(
  spec: AnySpec<TConfig, TOptions>,
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
      return outcomeFromRefusal(status, error.success ? spec.readError(error.data) : undefined, rules);
    }
    const parsed = spec.answerSchema.safeParse(body);
    if (!parsed.success) return invalidResponseOutcome(status, spec.displayName, describeInvalid(body, parsed.error));
    return outcomeFromReading(spec.readAnswer(parsed.data, ctx), requested, rules);
  } catch (error) {
    if (error instanceof DomainError) return invalidResponseOutcome(status, spec.displayName, redact(error.message, rules.secrets));
    context.logger.error(`${spec.displayName} plugin could not read an answer`, { error: (error as Error)?.name, httpStatus: status });
    return invalidResponseOutcome(status, spec.displayName, 'the answer could not be read');
  }
}

// Issue paths and zod's own messages only: a received value may be a card number or a secret.
function describeInvalid(body: unknown, error: z.ZodError): string {
  if (body === undefined) return 'the body is not JSON';
  const issues = error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  return `the body does not match the documented capture response (${issues.join('; ')})`;
}
