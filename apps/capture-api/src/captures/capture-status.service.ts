import { Inject, Injectable } from '@nestjs/common';
import {
  type CaptureChange,
  type LifecyclePolicy,
  newEventId,
  settle,
  type SettleContext,
  type Settlement,
  type StoredCapture,
} from '@capture-gateway/domain';
import type { Logger } from 'pino';
import { APP_LOGGER, type AppLogger, MetricsService } from '../observability';
import type { CaptureStore } from '../persistence/captures.store';
import type { KeyCompletion } from '../persistence/idempotency-keys.store';
import { CAPTURE_STORE, WEBHOOK_EVENT_STORE } from '../persistence/storage';
import type { WebhookEventResult, WebhookEventStore } from '../persistence/webhook-events.store';
import type { ProviderAccount } from '../plugins/plugin.registry';
import { SubscriptionRegistry } from '../events/subscription.registry';
import { LifecyclePolicies } from './lifecycle-policies';

/**
 * The one path that changes a capture, whoever asks (our call's answer, a webhook, the reconciler,
 * an operator): the domain's `settle` decides under the store's row lock, the store writes what it
 * decided (record, history, check, event and deliveries) in one transaction. A flag it raises is
 * logged and counted here, once for every path.
 */
@Injectable()
export class CaptureStatusService {
  private readonly logger: Logger;

  constructor(
    @Inject(CAPTURE_STORE) private readonly captures: CaptureStore,
    @Inject(WEBHOOK_EVENT_STORE) private readonly webhookEvents: WebhookEventStore,
    @Inject(LifecyclePolicies) private readonly policies: LifecyclePolicies,
    @Inject(SubscriptionRegistry) private readonly subscriptions: SubscriptionRegistry,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(APP_LOGGER) appLogger: AppLogger,
  ) {
    this.logger = appLogger.logger.child({ context: 'CaptureStatus' });
  }

  /** What `settle` needs of the account, now: its policy, a fresh event id, its subscriptions. */
  context(account: ProviderAccount | undefined, now = new Date()): SettleContext {
    return {
      now: now.toISOString(),
      policy: this.policy(account),
      eventId: newEventId(),
      subscriptions: account ? this.subscriptions.targetsFor(account.id) : [],
      unpolled: this.subscriptions.unpolled,
    };
  }

  policy(account: ProviderAccount | undefined): LifecyclePolicy {
    return account ? this.policies.of(account) : this.policies.none();
  }

  /**
   * Our call's first answer. Settled from the capture as inserted and written only over that row
   * version (with the key completed by `respond`'s answer, in the same statement); when something
   * moved the capture first (a webhook), settled again under the row lock. `keyCompleted` says
   * whether the key was completed with the write.
   */
  async firstAnswer(
    account: ProviderAccount,
    inserted: StoredCapture,
    change: Extract<CaptureChange, { kind: 'answer' }>,
    key?: Omit<KeyCompletion, 'response'> & { respond(settlement: Settlement): KeyCompletion['response'] },
  ): Promise<{ settlement: Settlement; keyCompleted: boolean }> {
    const settlement = settle(inserted, change, this.context(account));
    if (settlement.kind === 'write') {
      const completion = key && { clientId: key.clientId, key: key.key, response: key.respond(settlement) };
      if (await this.captures.writeIfUnchanged(settlement.write, completion)) {
        this.observe(account, settlement, change);
        return { settlement, keyCompleted: completion !== undefined };
      }
    }
    return { settlement: await this.apply(account, inserted.record.id, change), keyCompleted: false };
  }

  /** Any later change of a capture on `account` (undefined: an account gone from the config). */
  async apply(account: ProviderAccount | undefined, id: string, change: CaptureChange): Promise<Settlement> {
    const settlement = await this.captures.change(id, (current) => settle(current, change, this.context(account)));
    this.observe(account, settlement, change);
    return settlement;
  }

  /** A webhook's change, recorded with its event id in the same transaction: a redelivery changes nothing. */
  async applyWebhook(
    account: ProviderAccount,
    captureId: string,
    change: Extract<CaptureChange, { kind: 'webhook' }>,
  ): Promise<WebhookEventResult> {
    const result = await this.webhookEvents.apply(
      { account: account.id, eventId: change.eventId, captureId, reportedStatus: change.outcome.status },
      (current) => settle(current, change, this.context(account)),
    );
    if (!result.duplicate) this.observe(account, result.settlement, change);
    return result;
  }

  // A raised flag means money may disagree with our record: an error line and a count, whichever path raised it.
  private observe(account: ProviderAccount | undefined, settlement: Settlement, change: CaptureChange): void {
    if (settlement.kind !== 'write' || !settlement.raised) return;
    const { raised } = settlement;
    const record = settlement.write.after.record;
    this.logger.error(
      {
        captureId: record.id,
        account: record.account,
        requestId: change.requestId,
        source: raised.source,
        reason: raised.reason,
        status: record.status,
        reported: raised.reported,
        ...(change.kind === 'webhook' ? { eventId: change.eventId } : {}),
      },
      `capture flagged: ${raised.message}`,
    );
    this.metrics.recordFlag({
      account: record.account,
      provider: account?.plugin.id ?? record.provider,
      reason: raised.reason,
      source: raised.source,
    });
  }
}
