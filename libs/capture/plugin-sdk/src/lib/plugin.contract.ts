import type { CaptureOutcome, CaptureOutcomeInput, MinorUnitOverrides, Money } from '@capture-gateway/domain';
import type { z } from 'zod';

/**
 * The version of this contract. A plugin records the one it was built against; the loader refuses
 * a plugin whose major version differs from the service's. A minor version only adds optional
 * fields, so a 1.0.0 plugin still loads. 1.1.0: `CaptureUpdate.captureId` / `providerCaptureId`,
 * `capabilities.statusCheck` with `CaptureProvider.checkCapture`,
 * `CapturePlugin.minorUnits`. 1.2.0: `capabilities.zeroAmount`. 1.3.0: `CaptureProvider.accountCurrencies`
 * (the currencies one account captures in, refused otherwise by `capabilityRefusal` as `currency_mismatch`).
 * 1.4.0: `capabilities.idempotentCapture` (the provider deduplicates a re-sent capture by its key, for
 * how long) and `ProviderCaptureRequest.final` (a later capture of the authorisation may follow).
 * 1.5.0: `handleWebhook` may return `{ updates, acknowledge }` (a `WebhookHandling`) beside the array
 * of updates: `acknowledge` is the answer the provider expects for an accepted delivery (Adyen's `[accepted]`).
 */
export const PLUGIN_CONTRACT_VERSION = '1.5.0';

/**
 * The provider's promise about a capture sent again with the same idempotency key (the SDK's
 * `captureIdempotencyKey`, derived from our capture id, so every re-send of one capture carries the
 * same key and no other capture ever does): it is not captured twice, and the answer is the first
 * one's. Only within `windowSeconds` of the first attempt: after that the provider may have forgotten
 * the key, and a re-send could capture again.
 */
export interface IdempotentCaptureCapability {
  /** How long the provider keeps a key after its first use, in seconds (Stripe: at least 24 h, 86 400). */
  windowSeconds: number;
}

/** What a provider can do; the API refuses requests a provider cannot serve before calling it. */
export interface PluginCapabilities {
  /** Capture less than the authorised amount. */
  partialCapture: boolean;
  /** Capture one authorisation more than once. False: a second capture is `already_captured`. */
  multipleCaptures: boolean;
  /** Capture without an amount, meaning "everything authorised". */
  captureWithoutAmount: boolean;
  /** The provider sends webhooks, and the plugin implements `handleWebhook`. */
  webhooks: boolean;
  /** ISO 4217 codes the provider captures in, or `'any'`. */
  currencies: readonly string[] | 'any';
  /**
   * The provider can say what became of a capture, and the plugin implements `checkCapture`: the
   * service's reconciler settles captures in doubt through it. Absent means false (contract 1.0).
   */
  statusCheck?: boolean;
  /**
   * A capture of zero means something to this provider (e.g. it closes an authorisation without
   * moving money), so the service and the skeleton let one through. Absent means false: a zero
   * amount is refused before anything is stored or sent. Since 1.2.0.
   */
  zeroAmount?: boolean;
  /**
   * The provider documents idempotent captures, and the plugin sends `captureIdempotencyKey(request)`
   * with each: the service's reconciler may re-send a capture in doubt with the same key, within the
   * window, and take the provider's answer as the capture's. Absent: a capture in doubt is never sent
   * again. Since 1.4.0.
   */
  idempotentCapture?: IdempotentCaptureCapability;
}

/** Structured logging for plugins. The service redacts secrets and card numbers in every line. */
export interface PluginLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What the service gives a plugin when it creates a provider for one account. */
export interface PluginContext {
  accountId: string;
  logger: PluginLogger;
  /** Timeout for each outbound call, in milliseconds. */
  timeoutMs: number;
}

/** One capture, as the service hands it to a plugin: validated, with provider options parsed. */
export interface ProviderCaptureRequest<TOptions = unknown> {
  /** Our id of the capture; a stable key the provider may use to deduplicate. */
  captureId: string;
  /** The provider's reference of the authorisation being captured. */
  authorisationId: string;
  /** Absent: capture everything authorised (only when `captureWithoutAmount`). */
  amount?: Money;
  description?: string;
  metadata?: Record<string, string>;
  /**
   * false: a later capture of the same authorisation may follow, so the provider must keep what is
   * left of it open (issue #24's partial captures). Absent or true: this capture is the last one. Since 1.4.0.
   */
  final?: boolean;
  /** `providerOptions` from the API request, parsed by `captureOptionsSchema`. */
  options: TOptions;
}

export interface CaptureCallOptions {
  /** Aborts the outbound call; the outcome is then `unknown` unless nothing was sent. */
  signal?: AbortSignal;
  /** Our request id, passed to the provider where it takes one and used in log lines. */
  requestId?: string;
}

/** A webhook delivery exactly as received: the raw body is needed to check a signature. */
export interface WebhookDelivery {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  receivedAt: Date;
}

/**
 * A change to one capture that a webhook carries. The service finds the capture by the most
 * precise name the update gives: `captureId`, then `providerCaptureId`, then `authorisationId`.
 */
export interface CaptureUpdate {
  /** The provider's id of this event; a repeated id must change nothing. */
  eventId: string;
  /** The authorisation the update is about: how the service finds the capture when nothing names it. */
  authorisationId: string;
  /** Our capture id (`cap_…`), when the provider echoes the reference we sent: names the exact capture. Since 1.1.0. */
  captureId?: string;
  /** The provider's own reference of the capture (as in `references.captureId`): names the exact capture. Since 1.1.0. */
  providerCaptureId?: string;
  outcome: CaptureOutcomeInput;
}

/**
 * The answer a provider expects for a delivery it must not send again, where it is not the service's
 * default (`200` with a JSON receipt): Adyen counts anything but `[accepted]` as a failed delivery and
 * retries it. Only for accepted deliveries: a refusal is always the service's own `401`. Since 1.5.0.
 */
export interface WebhookAcknowledgement {
  /** A 2xx status: anything else would tell the provider to retry. */
  status: number;
  /** A media type, e.g. `text/plain; charset=utf-8`. */
  contentType: string;
  /** The exact body, at most `MAX_ACKNOWLEDGEMENT_BODY` characters. */
  body: string;
}

/** What `handleWebhook` returns: the updates, and the answer the provider expects (since 1.5.0; a bare array is still accepted). */
export interface WebhookHandling {
  updates: CaptureUpdate[];
  /** Absent: the service's default answer. */
  acknowledge?: WebhookAcknowledgement;
}

/** What the service knows of a capture in doubt when it asks the provider about it. */
export interface CaptureCheckRequest {
  /** Our id of the capture: the reference sent with it, where the provider takes one. */
  captureId: string;
  authorisationId: string;
  /** The provider's capture reference, when an answer or a webhook gave one. */
  providerCaptureId?: string;
  /** The amount asked for (absent: everything authorised). */
  amount?: Money;
}

/**
 * What a status check found. `not_received` only where the provider can say for certain that it
 * never got the capture (the service then marks it failed and frees the authorisation); when in any
 * doubt, `cannot_tell`, and the service asks again later.
 */
export type CaptureCheck =
  | { status: 'found'; outcome: CaptureOutcomeInput }
  | { status: 'not_received'; message?: string }
  | { status: 'cannot_tell'; message?: string };

/** A provider bound to one account's configuration. */
export interface CaptureProvider<TOptions = unknown> {
  /**
   * The currencies this account captures in, where its provider fixes them per account (PaymentOptions'
   * API takes no currency: each account has one). A capture in another is refused before anything is
   * stored or sent, as `currency_mismatch` (`capabilityRefusal`). Absent: `capabilities.currencies`
   * alone decides. Since 1.3.0.
   */
  readonly accountCurrencies?: readonly string[];
  /**
   * Captures once. Never throws for a provider's answer or a transport failure: those are outcomes
   * (`failed` with a code when no money moved, `unknown` when it may have). Never retries.
   */
  capture(request: ProviderCaptureRequest<TOptions>, options?: CaptureCallOptions): Promise<CaptureOutcomeInput>;
  /**
   * Authenticates a delivery, then parses it, returning one update per capture event it carries
   * (a batched delivery carries several; events of other kinds are left out, not refused), as an
   * array or, since 1.5.0, as `{ updates, acknowledge }` to choose the answer the provider gets.
   * Throws `WebhookRejectedError` for a forged, stale or malformed delivery: then nothing of it is applied.
   */
  handleWebhook?(delivery: WebhookDelivery): Promise<CaptureUpdate[] | WebhookHandling>;
  /**
   * Asks the provider what became of a capture (`capabilities.statusCheck`). Reads only: never sends
   * a capture. Never throws for a provider's answer or a transport failure: those are `cannot_tell`.
   */
  checkCapture?(request: CaptureCheckRequest, options?: CaptureCallOptions): Promise<CaptureCheck>;
  /** Releases what `create` opened. */
  close?(): Promise<void>;
}

/** A plugin: the default export of a provider's module. Build one with `definePlugin`. */
export interface CapturePlugin<TConfig = unknown, TOptions = unknown> {
  /** The contract version the plugin was built against (`PLUGIN_CONTRACT_VERSION`). */
  contractVersion: string;
  /** Stable id used in configuration, lower-case: `paymentoptions`. */
  id: string;
  displayName: string;
  /** The plugin's own version. */
  version: string;
  /** What one account of this provider needs. Mark secrets with `secret()`. */
  configSchema: z.ZodType<TConfig>;
  /** Provider-specific capture fields accepted under `providerOptions`. */
  captureOptionsSchema?: z.ZodType<TOptions>;
  capabilities: PluginCapabilities;
  /**
   * The exponents this provider writes currencies with where they differ from ISO 4217
   * (`{ HUF: 0 }`); the plugin's money conversions use them. Informational for the service. Since 1.1.0.
   */
  minorUnits?: MinorUnitOverrides;
  create(config: TConfig, context: PluginContext): CaptureProvider<TOptions>;
}

/** Any plugin, as the loader holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCapturePlugin = CapturePlugin<any, any>;

/**
 * Types a plugin object: the config and options types flow from the schemas into `create` and
 * `capture`, so a wrong shape is a compile error in the plugin, not a failure at start-up.
 */
export function definePlugin<TConfigSchema extends z.ZodType, TOptionsSchema extends z.ZodType = z.ZodType<undefined>>(
  plugin: Omit<
    CapturePlugin<z.output<TConfigSchema>, z.output<TOptionsSchema>>,
    'configSchema' | 'captureOptionsSchema' | 'contractVersion'
  > & {
    configSchema: TConfigSchema;
    captureOptionsSchema?: TOptionsSchema;
  },
): CapturePlugin<z.output<TConfigSchema>, z.output<TOptionsSchema>> {
  // The schemas' own generic types are wider than their outputs; the parameter type above is the check.
  return { contractVersion: PLUGIN_CONTRACT_VERSION, ...plugin } as CapturePlugin<z.output<TConfigSchema>, z.output<TOptionsSchema>>;
}

export type { CaptureOutcome, CaptureOutcomeInput };
