import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { CaptureOutcome } from '@capture-gateway/domain';
import type { Logger } from 'pino';
import { BackgroundLoop } from '../background/background-loop';
import { CaptureStatusService } from '../captures/capture-status.service';
import { checkAtProvider } from '../captures/provider-call';
import type { LoadedConfig } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import { APP_LOGGER, type AppLogger, CaptureAttributes, inActiveSpan, MetricsService } from '../observability';
import type { CaptureCheckStore, DueCheck } from '../persistence/capture-checks.store';
import { CAPTURE_CHECK_STORE } from '../persistence/storage';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';
import type { PluginRegistry } from '../plugins/plugin.registry';

/**
 * Brings captures in doubt (`unknown`, and `pending` past its account's threshold) back to a final
 * state by asking the provider (`checkCapture`) on a backoff schedule. It never sends a capture.
 * Due checks are leased in the database, so replicas share the backlog and never check one capture
 * at the same time; a replica that dies mid-check leaves a lease that runs out, and the check is
 * made again. It runs beside the request path, never on it.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly settings: LoadedConfig['config']['reconciler'];
  private readonly loop: BackgroundLoop;

  constructor(
    @Inject(CAPTURE_CHECK_STORE) private readonly checks: CaptureCheckStore,
    @Inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
    @Inject(CaptureStatusService) private readonly status: CaptureStatusService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) loaded: LoadedConfig,
    @Inject(APP_LOGGER) appLogger: AppLogger,
  ) {
    this.settings = loaded.config.reconciler;
    this.logger = appLogger.logger.child({ context: 'Reconciler' });
    this.loop = new BackgroundLoop(
      () => this.runOnce(),
      this.settings.intervalMs,
      (error) => this.logger.error({ err: error }, 'reconciler pass failed; retrying at the next'),
    );
  }

  onApplicationBootstrap(): void {
    const thresholds = new Map(this.registry.allAccounts().map((a) => [a.id, a.pendingCheckAfterMs / 1000]));
    this.metrics.watchInDoubt(() => this.checks.inDoubt(), thresholds);
    if (this.settings.enabled) this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass: leases what is due and checks it. Returns how many captures were checked. */
  async runOnce(now = new Date()): Promise<number> {
    const leaseUntil = new Date(now.getTime() + this.settings.leaseSeconds * 1000);
    const due = await this.checks.claimDue(now, this.settings.batchSize, leaseUntil);
    await Promise.all(due.map((check) => this.check(check)));
    return due.length;
  }

  // A trace per capture checked (the status check at the provider, the statements recording it); the
  // polling for due checks has none.
  private check(due: DueCheck): Promise<void> {
    const requestId = `rec_${randomUUID()}`;
    const attributes = { [CaptureAttributes.account]: due.record.account, [CaptureAttributes.requestId]: requestId };
    return inActiveSpan('reconcile capture', { attributes }, () => this.checkOnce(due, requestId));
  }

  private async checkOnce({ record, attempts }: DueCheck, requestId: string): Promise<void> {
    const fields = { requestId, captureId: record.id, account: record.account, status: record.status, attempt: attempts + 1 };
    const account = this.registry.account(record.account);
    if (!account) {
      // An account removed from the config: nothing can check it; an operator resolves it.
      this.logger.warn(fields, 'capture in doubt on an account no longer configured; left for an operator');
      return;
    }
    const result = await checkAtProvider(
      account,
      {
        captureId: record.id,
        authorisationId: record.authorisationId,
        ...(record.providerReferences.captureId ? { providerCaptureId: record.providerReferences.captureId } : {}),
        ...(record.requestedAmount ? { amount: record.requestedAmount } : {}),
      },
      requestId,
    );
    const outcome: CaptureOutcome | undefined =
      result.answer === 'not_received'
        ? {
            status: 'failed',
            error: { code: 'not_received_by_provider', message: `${account.plugin.displayName} never received this capture` },
            references: {},
          }
        : result.outcome;
    const change = this.status.change(account, { source: 'reconciler', actor: 'reconciler', requestId }, attempts + 1);
    const applied = await this.checks.record(record.id, {
      answer: result.answer,
      ...(result.message ? { message: result.message } : {}),
      ...(outcome ? { outcome } : {}),
      change,
    });
    this.metrics.recordStatusCheck({ account: account.id, provider: account.plugin.id, answer: result.answer });
    this.logger.info({ ...fields, answer: result.answer, to: applied.record.status }, 'capture checked at the provider');
  }
}
