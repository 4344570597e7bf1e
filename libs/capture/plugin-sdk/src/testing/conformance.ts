import { CaptureOutcomeSchema, type CaptureOutcome } from '@capture-gateway/domain';
import { startSandboxServer } from './sandbox-server';
import { createMemoryLogger } from './memory-logger';
import type { AnyCapturePlugin, ProviderCaptureRequest } from '../lib/plugin.contract';
import { pluginFromModule } from '../lib/plugin.guard';
import { secretValues } from '../lib/secrets';

export interface ConformanceScenarios {
  /** Answered with a success for the full requested amount. */
  success: ProviderCaptureRequest;
  /** Answered with a success for a smaller amount than authorised (needed when `partialCapture`). */
  partial?: ProviderCaptureRequest;
  /** Declined by the provider. */
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
  /** Starts the plugin's sandbox; the kit closes it after the suite. */
  startSandbox(): Promise<{ baseUrl: string; close(): Promise<void> }>;
  /** A valid account config pointing at `baseUrl`. */
  accountConfig(baseUrl: string): unknown;
  scenarios: ConformanceScenarios;
  /** Full card numbers the sandbox returns: none may appear in an outcome or a log line. */
  cardNumbers: readonly string[];
}

// Short for the timeout scenario only; the others get room for a cold first call on a loaded machine.
const TIMEOUT_MS = 300;
const NORMAL_TIMEOUT_MS = 5_000;

/**
 * The suite every plugin runs against its own sandbox: the outcomes the service relies on, and
 * that no secret or full card number escapes in a result or a log line.
 */
export function describeConformance(options: ConformanceOptions): void {
  const { plugin, scenarios } = options;

  describe(`${plugin.displayName} plugin conformance`, () => {
    let sandbox: { baseUrl: string; close(): Promise<void> };
    const logger = createMemoryLogger();
    const outcomes = new Map<string, CaptureOutcome>();
    const elapsed = new Map<string, number>();
    let secrets: string[] = [];

    async function run(name: string, request: ProviderCaptureRequest, baseUrl = sandbox.baseUrl) {
      const config = plugin.configSchema.parse(options.accountConfig(baseUrl));
      const timeoutMs = name === 'timeout' ? TIMEOUT_MS : NORMAL_TIMEOUT_MS;
      const provider = plugin.create(config, { accountId: 'conformance', logger, timeoutMs });
      const started = Date.now();
      const raw = await provider.capture(request, { requestId: `req_conformance_${name}` });
      elapsed.set(name, Date.now() - started);
      await provider.close?.();
      outcomes.set(name, CaptureOutcomeSchema.parse(raw));
    }

    beforeAll(async () => {
      sandbox = await options.startSandbox();
      secrets = secretValues(plugin.configSchema, plugin.configSchema.parse(options.accountConfig(sandbox.baseUrl)));
      for (const [name, request] of Object.entries(scenarios)) if (request) await run(name, request);
      const closed = await startSandboxServer(() => ({ status: 200 }));
      await closed.close();
      await run('refused', scenarios.success, closed.baseUrl);
    }, 30_000);

    afterAll(() => sandbox?.close());

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

    it('lets no secret or full card number out in an outcome or a log line', () => {
      const everything = [...[...outcomes.values()].map((o) => JSON.stringify(o)), ...logger.lines].join('\n');
      expect(logger.lines.length).toBeGreaterThan(0);
      for (const value of [...secrets, ...options.cardNumbers]) expect(everything).not.toContain(value);
    });
  });
}
