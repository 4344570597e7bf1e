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
  type WebhookHandling,
  definePlugin,
} from '../plugin.contract';
import { type CapabilityCheckInput, capabilityRefusal } from '../capability-check';
import { redact, secretValues } from '../secrets';
import { type CaptureReading, type OutcomeRules, outcomeFromReading } from './capture-reading.mapper';
import { readCaptureAnswer } from './capture-answer.reader';
import type { ProviderErrorDetail } from './http-status.mapper';
import { withBaseUrlPolicy } from './base-url-policy';
import { type HttpStatusCheckSpec, createStatusCheck } from './http-status-check';
import { type BodyEncoding, createProviderHttp } from './provider-http.client';
import type { HttpCaptureContext, HttpPathContext, HttpWebhookContext } from './http-capture.types';
import { pathIdsOf } from './provider-path';
import { captureIdempotencyKey } from './idempotency-key';

/**
 * A provider that speaks JSON over HTTP, written as only what differs from the next one. The
 * skeleton owns the rest: refusing before sending, the one call (timeout, never retried), non-2xx
 * answers, amount and currency checks, redaction, the log line, and the secrets from `secret()`.
 */
export interface HttpCapturePluginSpec<TConfig extends { baseUrl: string }, TOptions, TWire, TAnswer, TError, TStatus = unknown> {
  id: string;
  displayName: string;
  version: string;
  /** `statusCheck` and `idempotentCapture` are not given here: declaring the parts below of those names sets them. */
  capabilities: Omit<PluginCapabilities, 'statusCheck' | 'idempotentCapture'>;
  /**
   * The currencies one account captures in, from its config, where the provider fixes them per
   * account: the provider's `accountCurrencies`. Another currency is `currency_mismatch`, unsent.
   */
  accountCurrencies?(config: TConfig): readonly string[];
  /** Exponents the provider writes currencies with where they differ from ISO 4217: `{ HUF: 0 }`. */
  minorUnits?: MinorUnitOverrides;
  /**
   * The capture endpoint, relative to the account's `baseUrl`: fixed, or built from the request, its
   * ids read from `context.ids` (`v1/payment_intents/${ids.authorisationId}/capture`), which checks
   * and percent-encodes them: an unsafe id is refused (`invalid_request`, its `param`), unsent.
   */
  path: string | ((request: ProviderCaptureRequest<TOptions>, context: HttpPathContext<TConfig>) => string);
  /** The longest id `context.ids` lets into a path (default `DEFAULT_MAX_PATH_ID_LENGTH`, 255). */
  maxPathIdLength?: number;
  /** Headers of every call: credentials. Values of `secret()` fields are redacted wherever they appear. */
  headers(config: TConfig): Record<string, string>;
  /** Headers of one capture, from its request, beside `headers`. A `DomainError` refuses it, unsent. */
  captureHeaders?(request: ProviderCaptureRequest<TOptions>, context: HttpCaptureContext<TConfig>): Record<string, string>;
  /**
   * Where the provider documents idempotent captures: the header the skeleton sends
   * `captureIdempotencyKey(request)` in, and how long the provider keeps a key. Sets
   * `capabilities.idempotentCapture`, so the reconciler may re-send a capture in doubt with that key.
   */
  idempotency?: { header: string; windowSeconds: number };
  /** How `toWire`'s body is written: `json` (default) or `form` (`formEncode`: nested keys in brackets). */
  bodyEncoding?: BodyEncoding;
  /** Our request to the wire body. Throw a `DomainError` (see `refuse`) to refuse it: nothing is sent. */
  toWire(request: ProviderCaptureRequest<TOptions>, context: HttpCaptureContext<TConfig>): TWire;
  /** A 2xx body, checked with `answerSchema`; a body that fails it is `provider_response_invalid`. */
  answerSchema: z.ZodType<TAnswer>;
  /** `requested`: the amount asked for (absent: everything authorised), for providers whose answers give running totals. */
  readAnswer(answer: TAnswer, context: HttpCaptureContext<TConfig>, requested?: Money): CaptureReading;
  /** A non-2xx body, checked with `errorSchema`: the provider's code and message, if it is its error body. */
  errorSchema: z.ZodType<TError>;
  readError(body: TError): ProviderErrorDetail | undefined;
  /** The provider's codes onto ours, for refusals and declines alike. Unknown codes fall back on the HTTP status. */
  errorCodes: Readonly<Record<string, ErrorCode>>;
  /**
   * true where the provider answers every error with its error body (Stripe): a 4xx other than 404
   * without one (an HTML page, a proxy's or a firewall's answer) is not the provider's word, and is
   * `unknown` `provider_response_invalid` rather than read by its status.
   */
  errorBodyAlways?: boolean;
  /** true: a success may report less than was asked (the provider's partial authorisation). Never more. */
  capturedAmountMayBeLess?: boolean;
  /**
   * Providers that send webhooks: authenticate, parse, and return one update per capture event, or
   * `{ updates, acknowledge }` where the provider expects its own answer (Adyen's `[accepted]`).
   */
  handleWebhook?(delivery: WebhookDelivery, context: HttpWebhookContext<TConfig>): Promise<CaptureUpdate[] | WebhookHandling>;
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
    capabilities: {
      ...capabilities,
      statusCheck: spec.statusCheck !== undefined,
      ...(spec.idempotency ? { idempotentCapture: { windowSeconds: spec.idempotency.windowSeconds } } : {}),
    },
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
      const { path, headers, body } = wire.built;
      const answer = await http.post(path, body, {
        signal: call.signal,
        requestId: call.requestId,
        headers,
        bodyEncoding: spec.bodyEncoding,
      });
      return logged(
        answer.kind === 'no-answer' ? answer.outcome : readCaptureAnswer(spec, answer, request.amount, ctx, rules, context),
        answer,
      );

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
            maxPathIdLength: spec.maxPathIdLength,
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

interface BuiltCapture {
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

// The refusals every provider shares (`capabilityRefusal`, exported for the service too), then the
// path, the request's headers and the provider's own `toWire`: all before anything is sent.
function toWireChecked<TConfig extends { baseUrl: string }, TOptions>(
  spec: AnySpec<TConfig, TOptions>,
  checked: CapabilityCheckInput,
  request: ProviderCaptureRequest<TOptions>,
  ctx: HttpCaptureContext<TConfig>,
): BuiltCapture {
  const refusal = capabilityRefusal(checked, request);
  if (refusal) refuse(refusal.code, `${refusal.message}; nothing was sent`, refusal.param);
  const ids = pathIdsOf(request, spec.displayName, spec.maxPathIdLength);
  const path = typeof spec.path === 'string' ? spec.path : spec.path(request, { ...ctx, ids });
  const headers = {
    ...spec.captureHeaders?.(request, ctx),
    ...(spec.idempotency ? { [spec.idempotency.header]: captureIdempotencyKey(request) } : {}),
  };
  return { path, headers, body: spec.toWire(request, ctx) };
}

// Before the call nothing was sent: whatever goes wrong is `failed`. Only our own DomainErrors are quoted.
function refusalBeforeSending(
  work: () => BuiltCapture,
  rules: OutcomeRules,
  context: PluginContext,
): { built: BuiltCapture } | { refused: CaptureOutcomeInput } {
  try {
    return { built: work() };
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
