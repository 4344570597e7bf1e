import { Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type WebhookReceipt, WebhooksService } from './webhooks.service';

type WebhookRequest = FastifyRequest & { rawBody?: Buffer };

/** Provider webhooks: authenticated by the plugin (signatures), not by an API key. */
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  /**
   * 200 with the receipt for every authenticated delivery, duplicates and refused updates included, so
   * the provider stops retrying; or the plugin's acknowledgement, where its provider wants its own.
   */
  @Post(':account')
  @HttpCode(200)
  async receive(@Param('account') accountId: string, @Req() request: WebhookRequest): Promise<WebhookReceipt | Response> {
    const rawBody = request.rawBody ?? Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? ''));
    const { receipt, acknowledge } = await this.webhooks.receive(
      accountId,
      { headers: request.headers, rawBody, receivedAt: new Date() },
      String(request.id),
    );
    // A web Response is the whole answer in Nest 12: its status and content type win over @HttpCode.
    if (acknowledge) {
      const body = acknowledge.body === '' ? null : acknowledge.body;
      return new Response(body, { status: acknowledge.status, headers: { 'content-type': acknowledge.contentType } });
    }
    return receipt;
  }
}
