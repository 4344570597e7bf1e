import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  type CaptureChange,
  type CaptureOutcome,
  type CaptureRecord,
  nextAction,
  recordAfter,
  type StoredCapture,
} from '@capture-gateway/domain';
import type { CaptureCheckRequest } from '@capture-gateway/plugin-sdk';
import type { Logger } from 'pino';
import { BackgroundLoop } from '../background/background-loop';
import { CaptureStatusService } from '../captures/capture-status.service';
import { callProvider, checkAtProvider } from '../captures/provider-call';
import { ProviderSlotsService } from '../captures/provider-slots.service';
import type { LoadedConfig } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import { APP_LOGGER, type AppLogger, CaptureAttributes, inActiveSpan, MetricsService } from '../observability';
import type { CaptureCheckStore } from '../persistence/capture-checks.store';
import { CAPTURE_CHECK_STORE } from '../persistence/storage';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';
import type { PluginRegistry, ProviderAccount } from '../plugins/plugin.registry';

/**
 * Brings captures in doubt (`unknown`, and `pending` past its account's threshold) back to a final
 * state on a backoff schedule, doing what the state machine's `nextAction` says: re-send a capture
 * to a provider that promises idempotency (same key: never captured twice), or ask the provider
 * what became of it (`checkCapture`). Due work is leased in the database, so replicas share the
 * backlog and never look at one capture at the same time; a replica that dies mid-look leaves a
 * lease that runs out, and the look is made again. It runs beside the request path, never on it.
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
    @Inject(ProviderSlotsService) private readonly slots: ProviderSlotsService,
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

  // A trace per capture looked at (the provider call, the statements recording it); the polling for due work has none.
  private check(due: StoredCapture): Promise<void> {
    const requestId = `rec_${randomUUID()}`;
    const attributes = { [CaptureAttributes.account]: due.record.account, [CaptureAttributes.requestId]: requestId };
    return inActiveSpan('reconcile capture', { attributes }, () => this.lookOnce(due, requestId));
  }

  /** What the state machine says to do with a due capture: re-send it (idempotent providers), read its status, or leave it. */
  private async lookOnce(due: StoredCapture, requestId: string): Promise<void> {
    const { record } = due;
    const account = this.registry.account(record.account);
    const action = nextAction(due, this.status.policy(account), Date.now());
    const fields = { requestId, captureId: record.id, account: record.account, status: record.status, action };
    const meta = { actor: 'reconciler', requestId };
    // Its own small share of the account's slots, never waited for: with none free, the capture stays
    // leased and is looked at again once the lease runs out, and API captures keep the rest.
    const slot = account && action !== 'none' ? this.slots.forReconciler(account.id) : undefined;
    if (account && action !== 'none' && !slot) {
      this.logger.debug(fields, 'capture in doubt left for a later pass: no provider slot free');
      return;
    }
    let change: CaptureChange;
    try {
      change = await this.changeOf(due, account, action, meta);
    } finally {
      slot?.release();
    }
    const settled = await this.status.apply(account, record.id, change);
    this.logger.info(
      { ...fields, answer: change.kind === 'check' ? change.answer : undefined, to: recordAfter(settled).status },
      'capture in doubt looked at',
    );
  }

  private async changeOf(
    due: StoredCapture,
    account: ProviderAccount | undefined,
    action: ReturnType<typeof nextAction>,
    meta: { actor: string; requestId: string },
  ): Promise<CaptureChange> {
    const { record } = due;
    const { requestId } = meta;
    let change: CaptureChange;
    if (!account || action === 'none') {
      // An account removed from the config, or a plugin that can no longer look: an operator's.
      const message = account
        ? `${account.plugin.displayName} can neither check nor re-send this capture`
        : 'Its account is no longer configured';
      change = { kind: 'check', answer: 'cannot_tell', message: `${message}; left for an operator`, ...meta };
    } else if (action === 'resend') {
      change = { kind: 'resend', outcome: await resendCapture(account, due, requestId), ...meta };
    } else {
      const result = await checkAtProvider(account, checkRequestOf(record), requestId);
      change = {
        kind: 'check',
        answer: result.answer,
        ...(result.outcome ? { outcome: result.outcome } : {}),
        ...(result.message ? { message: result.message } : {}),
        ...meta,
      };
      this.metrics.recordStatusCheck({ account: account.id, provider: account.plugin.id, answer: result.answer });
    }
    return change;
  }
}

/** What the reconciler tells a plugin of a capture in doubt when it asks about it. */
function checkRequestOf(record: CaptureRecord): CaptureCheckRequest {
  return {
    captureId: record.id,
    authorisationId: record.authorisationId,
    ...(record.providerReferences.captureId ? { providerCaptureId: record.providerReferences.captureId } : {}),
    ...(record.requestedAmount ? { amount: record.requestedAmount } : {}),
  };
}

/** The capture sent again, exactly as first sent (same capture id, so the same provider idempotency key; same options). */
function resendCapture(account: ProviderAccount, due: StoredCapture, requestId: string): Promise<CaptureOutcome> {
  const { record } = due;
  const options = account.plugin.captureOptionsSchema?.safeParse(due.providerOptions);
  return callProvider(
    account,
    {
      captureId: record.id,
      authorisationId: record.authorisationId,
      ...(record.requestedAmount ? { amount: record.requestedAmount } : {}),
      ...(record.description !== undefined ? { description: record.description } : {}),
      ...(record.metadata ? { metadata: record.metadata } : {}),
      ...(record.final === false ? { final: false } : {}),
      options: options?.success ? options.data : undefined,
    },
    requestId,
  );
}
