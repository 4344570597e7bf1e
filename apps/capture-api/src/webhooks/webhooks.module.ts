import { Module } from '@nestjs/common';
import { CapturesModule } from '../captures/captures.module';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({ imports: [CapturesModule], controllers: [WebhooksController], providers: [WebhooksService] })
export class WebhooksModule {}
