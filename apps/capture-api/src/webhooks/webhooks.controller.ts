import { Controller, HttpCode, Inject, Logger, Param, Post, Req } from '@nestjs/common';
import { CaptureOutcomeSchema } from '@capture-gateway/domain';
import { type CaptureUpdate, WebhookRejectedError } from '@capture-gateway/plugin-sdk';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api.errors';
import { CAPTURE_REPOSITORY } from '../persistence/persistence.module';
import type { CaptureRepository } from '../persistence/capture.repository';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';
import type { PluginRegistry, ProviderAccount } from '../plugins/plugin.registry';

/** Provider webhooks: authenticated by the plugin (signatures), not by an API key. */
@Controller('v1/webhooks')
export class WebhooksController {
  private readonly logger = new Logger(WebhooksController.name);

  constructor(
    @Inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
    @Inject(CAPTURE_REPOSITORY) private readonly repository: CaptureRepository,
  ) {}

  @Post(':account')
  @HttpCode(200)
  async receive(@Param('account') accountId: string, @Req() request: FastifyRequest & { rawBody?: Buffer }) {
    const account = this.registry.account(accountId);
    if (!account?.provider.handleWebhook) throw new ApiError('not_found', `No webhook endpoint for account "${accountId}"`);
    let updates: CaptureUpdate[];
    try {
      const rawBody = request.rawBody ?? Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? ''));
      updates = await account.provider.handleWebhook({ headers: request.headers, rawBody, receivedAt: new Date() });
    } catch (error) {
      if (error instanceof WebhookRejectedError) throw new ApiError('unauthenticated', `Webhook refused: ${error.reason}`);
      throw error;
    }
    let applied = 0;
    for (const update of updates) if (await this.apply(account, update)) applied++;
    return { received: updates.length, applied };
  }

  // Applying first and recording the event after keeps a crash in between harmless: a final status
  // never moves again, so a redelivered event changes nothing.
  private async apply(account: ProviderAccount, update: CaptureUpdate): Promise<boolean> {
    const outcome = CaptureOutcomeSchema.safeParse(update.outcome);
    if (!outcome.success) {
      this.logger.warn(`account ${account.id}: webhook event ${update.eventId} carries an invalid outcome`);
      return false;
    }
    const capture = await this.repository.findByAuthorisation(account.id, update.authorisationId);
    if (!capture) {
      this.logger.warn(`account ${account.id}: webhook event ${update.eventId} names an authorisation we have no capture of`);
      return false;
    }
    const before = capture.status;
    const after = await this.repository.applyOutcome(capture.id, outcome.data, 'webhook');
    await this.repository.recordWebhookEvent(account.id, update.eventId);
    return after.status !== before;
  }
}
