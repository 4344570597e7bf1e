import { Inject, Injectable } from '@nestjs/common';
import { CaptureOutcomeSchema, recordAfter, unsafeTextReason } from '@capture-gateway/domain';
import {
  type CaptureProvider,
  type CaptureUpdate,
  type WebhookAcknowledgement,
  type WebhookDelivery,
  type WebhookHandling,
  WebhookRejectedError,
  acknowledgementProblem,
  webhookHandlingOf,
} from '@capture-gateway/plugin-sdk';
import { SpanKind } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { ApiError } from '../errors/api.errors';
import { APP_LOGGER, type AppLogger, CaptureAttributes, inActiveSpan, MetricsService } from '../observability';
import type { CaptureStore } from '../persistence/captures.store';
import { CAPTURE_STORE } from '../persistence/storage';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';
import type { PluginRegistry, ProviderAccount } from '../plugins/plugin.registry';
import { CaptureStatusService } from '../captures/capture-status.service';
import { matchCapture } from './capture-match';

export interface WebhookReceipt {
  received: true;
  /** Capture updates the delivery carried. */
  updates: number;
  /** Of those, the ones refused: no capture matched, or their references contradict it. */
  refused: number;
}

/** How the service answers a delivery it accepted: its receipt, or the plugin's own acknowledgement. */
export interface WebhookAnswer {
  receipt: WebhookReceipt;
  /** Set when the plugin asked for its provider's answer (Adyen's `[accepted]`): sent instead of the receipt. */
  acknowledge?: WebhookAcknowledgement;
}

type UpdateResult = 'applied' | 'duplicate' | 'refused';
type WebhookHandler = NonNullable<CaptureProvider['handleWebhook']>;

// One answer for every refusal (unknown account, missing or bad signature, stale timestamp): the reason is logged, never answered.
const webhookRefused = () => new ApiError('unauthenticated', 'Webhook refused');

/** Provider webhooks: authenticated by the account's plugin, matched to captures, applied once each. */
@Injectable()
export class WebhooksService {
  private readonly logger: Logger;

  constructor(
    @Inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
    @Inject(CAPTURE_STORE) private readonly captures: CaptureStore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(CaptureStatusService) private readonly status: CaptureStatusService,
    @Inject(APP_LOGGER) appLogger: AppLogger,
  ) {
    this.logger = appLogger.logger.child({ context: 'Webhooks' });
  }

  /** In a span of its own under the request's: the account and plugin (when known) and the counts, never the body or headers. */
  receive(accountId: string, delivery: WebhookDelivery, requestId: string): Promise<WebhookAnswer> {
    return inActiveSpan('webhook receive', { kind: SpanKind.INTERNAL }, async (span) => {
      const account = this.registry.account(accountId);
      if (account) span.setAttributes({ [CaptureAttributes.account]: account.id, [CaptureAttributes.pluginId]: account.plugin.id });
      const answer = await this.receiveFor(account, accountId, delivery, requestId);
      const { receipt } = answer;
      span.setAttributes({ [CaptureAttributes.webhookUpdates]: receipt.updates, [CaptureAttributes.webhookRefused]: receipt.refused });
      return answer;
    });
  }

  private async receiveFor(
    account: ProviderAccount | undefined,
    accountId: string,
    delivery: WebhookDelivery,
    requestId: string,
  ): Promise<WebhookAnswer> {
    const handler = account?.provider.handleWebhook?.bind(account.provider);
    // An unknown account is refused exactly as a bad signature is, so account ids cannot be enumerated.
    if (!account || !handler) {
      this.logger.warn(
        { requestId, account: accountId, reason: 'no such account or no webhooks', bytes: delivery.rawBody.length },
        'webhook refused',
      );
      throw webhookRefused();
    }
    const { updates, acknowledge } = await this.authenticate(account, handler, delivery, requestId);
    let refused = 0;
    for (const update of updates) if ((await this.apply(account, update, requestId)) === 'refused') refused++;
    // Sent only now, every update stored (a refused one logged and counted): the provider may stop
    // sending this delivery, as Adyen asks of an `[accepted]` batch even where an item was not processed.
    const receipt: WebhookReceipt = { received: true, updates: updates.length, refused };
    const sendable = acknowledge && this.sendable(account, acknowledge, requestId);
    return sendable ? { receipt, acknowledge: sendable } : { receipt };
  }

  // A plugin's acknowledgement the service would not send (a bug) is logged, and the default answer goes instead.
  private sendable(account: ProviderAccount, acknowledge: WebhookAcknowledgement, requestId: string): WebhookAcknowledgement | undefined {
    const problem = acknowledgementProblem(acknowledge);
    if (!problem) return acknowledge;
    this.logger.error({ requestId, account: account.id, plugin: account.plugin.id, problem }, 'webhook acknowledgement not sent');
    return undefined;
  }

  // The plugin checks the signature on the exact bytes received. A refusal is logged with its reason,
  // never with the body or headers (they may carry card data or a signature worth replaying).
  private async authenticate(
    account: ProviderAccount,
    handler: WebhookHandler,
    delivery: WebhookDelivery,
    requestId: string,
  ): Promise<WebhookHandling> {
    try {
      return webhookHandlingOf(await handler(delivery));
    } catch (error) {
      if (!(error instanceof WebhookRejectedError)) throw error;
      this.logger.warn({ requestId, account: account.id, reason: error.reason, bytes: delivery.rawBody.length }, 'webhook refused');
      throw webhookRefused();
    }
  }

  // The event id is recorded in the transaction that applies it: a redelivery changes nothing.
  private async apply(account: ProviderAccount, update: CaptureUpdate, requestId: string): Promise<UpdateResult> {
    const fields = { requestId, account: account.id, eventId: update.eventId };
    const outcome = CaptureOutcomeSchema.safeParse(update.outcome);
    if (!outcome.success) return this.refuse(account, fields, 'carries an invalid outcome');
    // Names the plugin read from the provider's body go into queries and rows: a NUL or a lone
    // surrogate there would fail in PostgreSQL (a 500, and the provider retrying forever).
    const names = [update.eventId, update.authorisationId, update.captureId, update.providerCaptureId];
    if (names.some((name) => name !== undefined && (typeof name !== 'string' || unsafeTextReason(name) !== undefined))) {
      return this.refuse(account, fields, 'names a capture or event with characters that cannot be stored');
    }
    const match = await matchCapture(this.captures, account.id, update);
    if ('refused' in match) return this.refuse(account, fields, match.refused);
    const captureId = match.capture.id;
    const result = await this.status.applyWebhook(account, captureId, {
      kind: 'webhook',
      outcome: outcome.data,
      eventId: update.eventId,
      actor: account.plugin.id,
      requestId,
    });
    if (result.duplicate) {
      this.logger.info({ ...fields, captureId }, 'webhook event already applied; ignored');
      return 'duplicate';
    }
    const { settlement } = result;
    const before = settlement.before.record.status;
    const after = recordAfter(settlement).status;
    // A flag (a contradiction, an amount above the request) is logged and counted by the status path.
    this.logger.info({ ...fields, captureId, from: before, to: after, settled: settlement.kind }, 'webhook event applied');
    if (after !== before) this.metrics.recordWebhookOutcome({ account: account.id, provider: account.plugin.id, outcome: after });
    return 'applied';
  }

  private refuse(account: ProviderAccount, fields: Record<string, unknown>, reason: string): 'refused' {
    this.logger.warn({ ...fields, reason }, `webhook event refused: it ${reason}`);
    this.metrics.recordWebhookRefused({ account: account.id, provider: account.plugin.id });
    return 'refused';
  }
}
