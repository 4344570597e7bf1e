import { CaptureOutcomeSchema, type CaptureOutcome, type Money } from '@capture-gateway/domain';
import { startSandboxServer } from './sandbox-server';
import { createMemoryLogger } from './memory-logger';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import type { AnyCapturePlugin, CaptureProvider, CaptureUpdate, ProviderCaptureRequest } from '../lib/plugin.contract';
import { pluginFromModule } from '../lib/plugin.guard';
import { secretValues } from '../lib/secrets';
import { WebhookRejectedError } from '../lib/webhooks/webhook.errors';
import { STATUS_CHECK_RULES, type SentCapture, type StatusCheckFindings, collectStatusChecks } from './conformance-status-check';

export interface ConformanceScenarios {
  /** Answered with a success for the full requested amount (async: settled so by webhook). */
  success: ProviderCaptureRequest;
  /** A success for a smaller amount than authorised (needed when `partialCapture`). */
  partial?: ProviderCaptureRequest;
  /** Declined by the provider (async: by webhook). */
  decline: ProviderCaptureRequest;
  /** Answered only after far longer than the 300 ms timeout the kit gives this scenario. */
  timeout: ProviderCaptureRequest;
  /** Answered with a 5xx. */
  serverError: ProviderCaptureRequest;
  /** Answered 2xx with a body that is not the provider's format. */
  garbage: ProviderCaptureRequest;
}

export interface ConformanceOptions {
  plugin: AnyCapturePlugin;
  /**
   * Starts the plugin's sandbox; the kit closes it after the suite. In `async` mode the kit passes
   * `webhookUrl` (the sandbox convention): the sandbox must send its signed webhooks there.
   */
  startSandbox(options: { webhookUrl?: string }): Promise<{ baseUrl: string; close(): Promise<void> }>;
  /** A valid account config pointing at `baseUrl` (with the sandbox's webhook secret, in `async` mode). */
  accountConfig(baseUrl: string): unknown;
  scenarios: ConformanceScenarios;
  /** Full card numbers the sandbox returns: none may appear in an outcome, an update or a log line. */
  cardNumbers: readonly string[];
  /**
   * `sync` (default): success, partial and decline come straight from `capture()`.
   * `async`: `capture()` answers `pending`, and the sandbox's own signed webhook, through the
   * plugin's `handleWebhook`, settles each of them; every update must name its capture.
   */
  mode?: 'sync' | 'async';
  /** `async`: how long to wait for a webhook after the capture answered (default 5 s). */
  webhookTimeoutMs?: number;
}

/** A scenario's request: an authorisation id (a sandbox's magic id, say) and an amount. */
export function conformanceRequest(authorisationId: string, amount: Money): ProviderCaptureRequest<undefined> {
  return { captureId: 'cap_conformance01', authorisationId, amount, options: undefined };
}

// Short for the timeout scenario only; the others get room for a cold first call on a loaded machine.
const TIMEOUT_MS = 300;
const NORMAL_TIMEOUT_MS = 5_000;
const SETTLED = ['success', 'partial', 'decline'];

/**
 * The suite every plugin runs against its own sandbox: the outcomes the service relies on, and
 * that no secret or full card number escapes in a result, an update or a log line. A plugin that
 * declares `capabilities.statusCheck` also has its `checkCapture` checked (`STATUS_CHECK_RULES`).
 */
export function describeConformance(options: ConformanceOptions): void {
  const { plugin, scenarios } = options;
  const async = options.mode === 'async';
  const checksStatus = plugin.capabilities.statusCheck === true;

  describe(`${plugin.displayName} plugin conformance${async ? ' (asynchronous)' : ''}`, () => {
    let sandbox: { baseUrl: string; close(): Promise<void> };
    let receiver: WebhookReceiver | undefined;
    let webhookSide: CaptureProvider | undefined;
    const logger = createMemoryLogger();
    const answered = new Map<string, CaptureOutcome>();
    const outcomes = new Map<string, CaptureOutcome>();
    const updates = new Map<string, CaptureUpdate>();
    const elapsed = new Map<string, number>();
    let secrets: string[] = [];
    const sent = new Map<string, SentCapture>();
    let statusChecks: StatusCheckFindings | undefined;

    const providerFor = (baseUrl: string, name: string) =>
      plugin.create(plugin.configSchema.parse(options.accountConfig(baseUrl)), {
        accountId: 'conformance',
        logger,
        timeoutMs: name === 'timeout' || name === 'checkTimeout' ? TIMEOUT_MS : NORMAL_TIMEOUT_MS,
      });

    async function run(name: string, scenario: ProviderCaptureRequest, baseUrl = sandbox.baseUrl) {
      // Distinct capture ids, so a webhook or a status check can only be about the capture it names.
      const request = async || checksStatus ? { ...scenario, captureId: `cap_conformance${name}` } : scenario;
      const provider = providerFor(baseUrl, name);
      const started = Date.now();
      const raw = await provider.capture(request, { requestId: `req_conformance_${name}` });
      elapsed.set(name, Date.now() - started);
      await provider.close?.();
      const outcome = CaptureOutcomeSchema.parse(raw);
      answered.set(name, outcome);
      outcomes.set(name, outcome);
      if (async && SETTLED.includes(name) && outcome.status === 'pending' && receiver) {
        const update = await receiver.waitFor((u) => names(u, request, outcome), options.webhookTimeoutMs ?? 5_000);
        updates.set(name, update);
        outcomes.set(name, CaptureOutcomeSchema.parse(update.outcome));
      }
      sent.set(name, { request, outcome: outcomes.get(name) ?? outcome });
    }

    beforeAll(async () => {
      if (async) receiver = await startWebhookReceiver(() => webhookSide);
      sandbox = await options.startSandbox(receiver ? { webhookUrl: receiver.url } : {});
      webhookSide = providerFor(sandbox.baseUrl, 'webhook');
      secrets = secretValues(plugin.configSchema, plugin.configSchema.parse(options.accountConfig(sandbox.baseUrl)));
      for (const [name, request] of Object.entries(scenarios)) if (request) await run(name, request);
      const closed = await startSandboxServer(() => ({ status: 200 }));
      await closed.close();
      await run('refused', scenarios.success, closed.baseUrl);
      // Against the closed port too: a plugin that sent it would answer provider_unavailable, not a refusal.
      const { amount } = scenarios.success;
      if (amount && !plugin.capabilities.zeroAmount)
        await run('zero', { ...scenarios.success, amount: { ...amount, amount: 0 } }, closed.baseUrl);
      if (checksStatus) {
        statusChecks = await collectStatusChecks({ providerFor, sandboxBaseUrl: sandbox.baseUrl, refusedBaseUrl: closed.baseUrl, sent });
      }
    }, 60_000);

    afterAll(async () => {
      await sandbox?.close();
      await receiver?.close();
    });

    const outcome = (name: string) => {
      const found = outcomes.get(name);
      if (!found) throw new Error(`scenario ${name} did not run`);
      return found;
    };

    it('exports a plugin the loader accepts, whose config schema refuses an empty config', () => {
      expect(pluginFromModule({ default: plugin })).toBe(plugin);
      expect(plugin.configSchema.safeParse({}).success).toBe(false);
      expect(secrets.length).toBeGreaterThan(0);
    });

    it('follows the sandbox convention: its accountSettings alone make a valid account config', () => {
      const settings = (sandbox as { accountSettings?: unknown }).accountSettings;
      if (settings === undefined) return;
      expect(plugin.configSchema.safeParse(settings).success).toBe(true);
    });

    if (async) {
      it('answers each capture with pending, and settles it by a signed webhook that names the capture', () => {
        expect(plugin.capabilities.webhooks).toBe(true);
        for (const name of SETTLED.filter((n) => answered.has(n))) {
          expect(answered.get(name)).toMatchObject({ status: 'pending' });
          const update = updates.get(name);
          expect(update?.captureId ?? update?.providerCaptureId).toBeTruthy();
        }
      });

      it('refuses a tampered delivery, so none of it is applied', async () => {
        const update = updates.get('success');
        const delivery = receiver?.deliveries.find((d) => update !== undefined && d.updates.includes(update));
        const signed = delivery && update && signedName(update, delivery.rawBody);
        if (!delivery || !signed || !webhookSide?.handleWebhook) throw new Error('no delivery of the success scenario to tamper with');
        const forged = Buffer.from(delivery.rawBody.toString('utf8').split(signed).join(altered(signed)));
        await expect(
          webhookSide.handleWebhook({ headers: delivery.headers, rawBody: forged, receivedAt: new Date() }),
        ).rejects.toBeInstanceOf(WebhookRejectedError);
      });
    }

    it('captures the full amount', () => {
      const result = outcome('success');
      expect(result.status).toBe('succeeded');
      if (result.status === 'succeeded' && scenarios.success.amount) {
        expect(result.capturedAmount).toEqual(scenarios.success.amount);
      }
    });

    if (plugin.capabilities.partialCapture) {
      it('captures part of the amount', () => {
        if (!scenarios.partial) throw new Error('a plugin with partialCapture must give a partial scenario');
        const result = outcome('partial');
        expect(result).toMatchObject({ status: 'succeeded', capturedAmount: scenarios.partial.amount });
      });
    }

    it("reports a decline as failed with provider_declined and the provider's own code or message", () => {
      const result = outcome('decline');
      expect(result.status).toBe('failed');
      if (result.status !== 'failed') return;
      expect(result.error.code).toBe('provider_declined');
      expect(result.error.provider?.code ?? result.error.provider?.message).toBeTruthy();
    });

    it('gives up at the timeout with an unknown outcome, never a retry', () => {
      expect(outcome('timeout')).toMatchObject({ status: 'unknown', error: { code: 'provider_timeout' } });
      expect(elapsed.get('timeout')).toBeLessThan(TIMEOUT_MS * 5);
    });

    it('treats a 5xx as unavailable, unknown unless nothing can have been captured', () => {
      const result = outcome('serverError');
      expect(['unknown', 'failed']).toContain(result.status);
      expect(result).toMatchObject({ error: { code: 'provider_unavailable' } });
    });

    it('treats an unreadable 2xx body as provider_response_invalid, outcome unknown', () => {
      expect(outcome('garbage')).toMatchObject({ status: 'unknown', error: { code: 'provider_response_invalid' } });
    });

    it('treats a refused connection as failed: nothing was sent', () => {
      expect(outcome('refused')).toMatchObject({ status: 'failed', error: { code: 'provider_unavailable' } });
    });

    if (!plugin.capabilities.zeroAmount && scenarios.success.amount) {
      it('refuses a capture of zero before sending, as it does not declare zeroAmount', () => {
        const result = outcome('zero');
        expect(result.status).toBe('failed');
        if (result.status === 'failed') expect(result.error.code).not.toBe('provider_unavailable');
      });
    }

    if (checksStatus) {
      // After the scenarios, as the service's reconciler would: never a capture sent, only reads.
      for (const rule of STATUS_CHECK_RULES) {
        it(`status check: ${rule.title}`, () => {
          if (!statusChecks) throw new Error('the status checks did not run');
          const problem = rule.problem(statusChecks);
          if (problem) throw new Error(problem);
        });
      }
    }

    it('lets no secret or full card number out in an outcome, an update, a status check or a log line', () => {
      const checks = [...(statusChecks?.checks.values() ?? [])];
      const seen = [...answered.values(), ...outcomes.values(), ...updates.values(), ...checks].map((o) => JSON.stringify(o));
      const everything = [...seen, ...logger.lines].join('\n');
      expect(logger.lines.length).toBeGreaterThan(0);
      for (const value of [...secrets, ...options.cardNumbers]) expect(everything).not.toContain(value);
    });
  });
}

/**
 * What the kit changes in a delivery to forge it: the update's event id where the body holds it
 * verbatim, else (an id the plugin composed from several fields, as Adyen's) the capture's name.
 */
function signedName(update: CaptureUpdate, rawBody: Buffer): string | undefined {
  return [update.eventId, update.captureId, update.providerCaptureId].find((name) => name && rawBody.includes(name));
}

const altered = (name: string) => `${name.slice(0, -1)}${name.endsWith('x') ? 'y' : 'x'}`;

/** Whether an update is about this capture: by our id, the provider's capture id, else the authorisation. */
function names(update: CaptureUpdate, request: ProviderCaptureRequest, answer: CaptureOutcome): boolean {
  if (update.captureId) return update.captureId === request.captureId;
  const reference = answer.references.captureId;
  if (update.providerCaptureId && reference) return update.providerCaptureId === reference;
  return update.authorisationId === request.authorisationId;
}
