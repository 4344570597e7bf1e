import { Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type WebhookReceipt, WebhooksService } from './webhooks.service';

type WebhookRequest = FastifyRequest & { rawBody?: Buffer };

/** Provider webhooks: authenticated by the plugin (signatures), not by an API key. */
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  /** 200 for every authenticated delivery, duplicates and refused updates included, so the provider stops retrying. */
  @Post(':account')
  @HttpCode(200)
  receive(@Param('account') accountId: string, @Req() request: WebhookRequest): Promise<WebhookReceipt> {
    const rawBody = request.rawBody ?? Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? ''));
    return this.webhooks.receive(accountId, { headers: request.headers, rawBody, receivedAt: new Date() }, String(request.id));
  }
}
