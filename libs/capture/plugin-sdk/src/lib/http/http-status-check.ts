import { DomainError } from '@capture-gateway/domain';
import type { z } from 'zod';
import type { HttpCaptureContext, HttpPathContext } from './http-capture.types';
import { pathIdsOf } from './provider-path';
import type { CaptureCallOptions, CaptureCheck, CaptureCheckRequest, PluginContext } from '../plugin.contract';
import { redact } from '../secrets';
import { type CaptureReading, type OutcomeRules, cleanProviderDetail, outcomeFromReading } from './capture-reading.mapper';
import type { ProviderErrorDetail } from './http-status.mapper';
import type { ProviderAnswer, ProviderHttp } from './provider-http.client';

/**
 * The provider's status endpoint, for `capabilities.statusCheck`: one GET per check, with the
 * account's timeout, never retried. A 2xx is read by the same rules as a capture answer (`found`);
 * only the declared not-received answer is `not_received`; everything else is `cannot_tell`.
 */
export interface HttpStatusCheckSpec<TConfig, TStatus> {
  /**
   * The status endpoint of one capture, relative to the account's `baseUrl`, its ids read from
   * `context.ids` (checked and percent-encoded; an unsafe one is `cannot_tell`, unsent). `undefined` when there is nothing to look it up by (no `providerCaptureId` after a timeout, say):
   * `cannot_tell`, and nothing is sent.
   */
  path(request: CaptureCheckRequest, context: HttpPathContext<TConfig>): string | undefined;
  /** Headers of this check, from its request, beside the plugin's `headers`. */
  headers?(request: CaptureCheckRequest, context: HttpCaptureContext<TConfig>): Record<string, string>;
  /** A 2xx body; one that fails it is `cannot_tell`. */
  schema: z.ZodType<TStatus>;
  /**
   * A 2xx body in our words, as `readAnswer` does; `undefined` when the body does not say (`cannot_tell`).
   * Where the provider's answer itself says for certain that this capture was never made (Stripe: a
   * PaymentIntent still awaiting capture, nothing received), `{ status: 'not_received', message }`; a
   * `{ status: 'cannot_tell', message }` says why not.
   */
  read(body: TStatus, context: HttpCaptureContext<TConfig>, request?: CaptureCheckRequest): CaptureReading | StatusVerdict | undefined;
  /**
   * The HTTP status by which the provider says for certain that it never got the capture (404, say).
   * It counts only with the provider's own error body (one `errorSchema` and `readError` read to a
   * code): a bare 404 from a wrong `baseUrl` or a proxy is `cannot_tell`. Absent: never `not_received`.
   */
  notReceivedStatus?: number;
  /** Where the provider documents them: the only error codes that, with `notReceivedStatus`, mean not received. */
  notReceivedCodes?: readonly string[];
}

/** A status answer that is no reading of a capture: the provider never made it, or cannot say (and why). */
export type StatusVerdict = { status: 'not_received'; message?: string } | { status: 'cannot_tell'; message?: string };

/** What the skeleton shares with the status check: the account's HTTP helper, rules and error reading. */
export interface StatusCheckDeps<TConfig> {
  providerId: string;
  http: ProviderHttp;
  rules: OutcomeRules;
  context: PluginContext;
  ctx: HttpCaptureContext<TConfig>;
  /** The plugin's `maxPathIdLength`. */
  maxPathIdLength?: number;
  /** The capture's `errorSchema` + `readError`: the provider's code and message of a non-2xx body, if it is its body. */
  readError(body: unknown): ProviderErrorDetail | undefined;
}

/** `checkCapture` for a provider built on the skeleton. Never throws; never sends a capture. */
export function createStatusCheck<TConfig, TStatus>(spec: HttpStatusCheckSpec<TConfig, TStatus>, deps: StatusCheckDeps<TConfig>) {
  const { http, rules, context, ctx } = deps;
  const name = rules.providerName;

  return async function checkCapture(request: CaptureCheckRequest, call: CaptureCallOptions = {}): Promise<CaptureCheck> {
    let httpStatus: number | undefined;
    let result: CaptureCheck;
    try {
      const built = buildCheck(request);
      const answer =
        'refused' in built || built.path === undefined
          ? undefined
          : await http.get(built.path, { signal: call.signal, requestId: call.requestId, headers: built.headers });
      if ('refused' in built) {
        result = cannotTell(`${name} cannot be asked about this capture: ${built.refused}; nothing was sent`);
      } else if (!answer) {
        result = cannotTell(`${name} cannot be asked about this capture: nothing to look it up by`);
      } else if (answer.kind === 'no-answer') {
        // A refused connection is `failed` for a capture (nothing sent); for a check it only means we do not know.
        const timedOut = 'error' in answer.outcome && answer.outcome.error.code === 'provider_timeout';
        result = cannotTell(timedOut ? `${name} did not answer the status check in time` : `${name} gave the status check no answer`);
      } else {
        httpStatus = answer.status;
        result = readCheck(answer);
      }
    } catch (error) {
      // A bug in `path` or `read`: a check that went wrong never says more than "cannot tell".
      context.logger.error(`${name} plugin could not make a status check`, { error: (error as Error)?.name, httpStatus });
      result = cannotTell(`${name}'s status answer could not be read`);
    }
    return logged(result);

    // An id that cannot be a path segment is our refusal to send, not a bug: said, never logged as one.
    function buildCheck(checked: CaptureCheckRequest): { path?: string; headers?: Record<string, string> } | { refused: string } {
      try {
        const ids = pathIdsOf(checked, name, deps.maxPathIdLength);
        return { path: spec.path(checked, { ...ctx, ids }), headers: spec.headers?.(checked, ctx) };
      } catch (error) {
        if (error instanceof DomainError) return { refused: error.message };
        throw error;
      }
    }

    function readCheck({ status, body }: ProviderAnswer): CaptureCheck {
      if (status >= 200 && status < 300) {
        const parsed = spec.schema.safeParse(body);
        if (!parsed.success) return cannotTell(`${name} sent a status answer we cannot read (HTTP ${status})`);
        const reading = readOrRefused(() => spec.read(parsed.data, ctx, request));
        if (reading === REFUSED) return cannotTell(`${name} sent a status answer we cannot read (HTTP ${status})`);
        if (!reading) return cannotTell(`${name}'s status answer does not say what became of the capture (HTTP ${status})`);
        if (reading.status === 'cannot_tell') return cannotTell(`${name}'s status answer: ${reading.message ?? 'it cannot tell'}`);
        if (reading.status === 'not_received') {
          const message = redact(reading.message ?? `${name} never made this capture`, rules.secrets).slice(0, 500);
          return { status: 'not_received', message };
        }
        return { status: 'found', outcome: outcomeFromReading(reading, request.amount, rules) };
      }
      const detail = deps.readError(body);
      if (isNotReceived(status, detail)) return { status: 'not_received', message: `${name} never received this capture (HTTP ${status})` };
      const provider = cleanProviderDetail(detail, rules.secrets);
      const words = provider ? `: ${[provider.code, provider.message].filter(Boolean).join(' ')}` : '';
      return cannotTell(`${name} answered the status check with HTTP ${status}${words}`);
    }

    function isNotReceived(status: number, detail: ProviderErrorDetail | undefined): boolean {
      if (spec.notReceivedStatus === undefined || status !== spec.notReceivedStatus || !detail?.code) return false;
      return spec.notReceivedCodes === undefined || spec.notReceivedCodes.includes(detail.code);
    }

    function cannotTell(message: string): CaptureCheck {
      return { status: 'cannot_tell', message: redact(message, rules.secrets).slice(0, 500) };
    }

    function logged(check: CaptureCheck): CaptureCheck {
      const outcome = check.status === 'found' ? check.outcome : undefined;
      context.logger.info(`${name} status check answered`, {
        provider: deps.providerId,
        accountId: context.accountId,
        requestId: call.requestId,
        captureId: request.captureId,
        authorisationId: request.authorisationId,
        httpStatus,
        check: check.status,
        outcome: outcome?.status,
        code: outcome && 'error' in outcome ? outcome.error.code : undefined,
        providerCode: outcome && 'error' in outcome ? outcome.error.provider?.code : undefined,
        last4: outcome?.card?.last4,
      });
      return check;
    }
  };
}

const REFUSED = Symbol('refused');

// A DomainError from a money conversion means the body is not what the provider documents: cannot tell.
function readOrRefused(
  read: () => CaptureReading | StatusVerdict | undefined,
): CaptureReading | StatusVerdict | undefined | typeof REFUSED {
  try {
    return read();
  } catch (error) {
    if (error instanceof DomainError) return REFUSED;
    throw error;
  }
}
