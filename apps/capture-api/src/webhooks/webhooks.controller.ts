import { Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { CaptureOutcomeSchema } from '@capture-gateway/domain';
import { type CaptureProvider, type CaptureUpdate, WebhookRejectedError } from '@capture-gateway/plugin-sdk';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ApiError } from '../errors/api.errors';
import { APP_LOGGER, type AppLogger, MetricsService } from '../observability';
import type { CaptureStore } from '../persistence/captures.store';
import { CAPTURE_STORE, WEBHOOK_EVENT_STORE } from '../persistence/storage';
import type { WebhookEventStore } from '../persistence/webhook-events.store';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';
import type { PluginRegistry, ProviderAccount } from '../plugins/plugin.registry';

type WebhookRequest = FastifyRequest & { rawBody?: Buffer };

/** Provider webhooks: authenticated by the plugin (signatures), not by an API key. */
@Controller('v1/webhooks')
export class WebhooksController {
  private readonly logger: Logger;

  constructor(
    @Inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
    @Inject(CAPTURE_STORE) private readonly captures: CaptureStore,
    @Inject(WEBHOOK_EVENT_STORE) private readonly events: WebhookEventStore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(APP_LOGGER) appLogger: AppLogger,
  ) {
    this.logger = appLogger.logger.child({ context: 'Webhooks' });
  }

  /** 200 for every authenticated delivery, duplicates included, so the provider stops retrying. */
  @Post(':account')
  @HttpCode(200)
  async receive(@Param('account') accountId: string, @Req() request: WebhookRequest): Promise<{ received: true; updates: number }> {
    const account = this.registry.account(accountId);
    const handleWebhook = account?.provider.handleWebhook?.bind(account.provider);
    if (!account || !handleWebhook) throw new ApiError('not_found', `No webhook endpoint for account "${accountId}"`);
    const updates = await this.authenticate(account, handleWebhook, request);
    for (const update of updates) await this.apply(account, update, String(request.id));
    return { received: true, updates: updates.length };
  }

  // The plugin checks the signature on the exact bytes received. A refusal is logged with its reason,
  // never with the body or headers (they may carry card data or a signature worth replaying).
  private async authenticate(
    account: ProviderAccount,
    handleWebhook: NonNullable<CaptureProvider['handleWebhook']>,
    request: WebhookRequest,
  ): Promise<CaptureUpdate[]> {
    const rawBody = request.rawBody ?? Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? ''));
    try {
      return await handleWebhook({ headers: request.headers, rawBody, receivedAt: new Date() });
    } catch (error) {
      if (!(error instanceof WebhookRejectedError)) throw error;
      this.logger.warn({ requestId: request.id, account: account.id, reason: error.reason, bytes: rawBody.length }, 'webhook refused');
      throw new ApiError('unauthenticated', `Webhook refused: ${error.reason}`);
    }
  }

  // The event id is recorded in the transaction that applies it: a redelivery changes nothing.
  private async apply(account: ProviderAccount, update: CaptureUpdate, requestId: string): Promise<void> {
    const fields = { requestId, account: account.id, eventId: update.eventId };
    const outcome = CaptureOutcomeSchema.safeParse(update.outcome);
    if (!outcome.success) return this.logger.warn(fields, 'webhook event carries an invalid outcome');
    const capture = await this.captures.findLive(account.id, update.authorisationId);
    if (!capture) return this.logger.warn(fields, 'webhook event names an authorisation we have no capture of');
    const result = await this.events.apply({
      account: account.id,
      eventId: update.eventId,
      captureId: capture.id,
      outcome: outcome.data,
    });
    if (result.duplicate) return this.logger.info({ ...fields, captureId: capture.id }, 'webhook event already applied; ignored');
    this.logger.info({ ...fields, captureId: capture.id, from: result.before, to: result.record.status }, 'webhook event applied');
    if (result.record.status !== result.before) {
      this.metrics.recordWebhookOutcome({ account: account.id, provider: account.plugin.id, outcome: result.record.status });
    }
  }
}
