import { Module } from '@nestjs/common';
import { CapturesController } from './captures.controller';
import { CapturesService } from './captures.service';
import { IdempotencyService } from './idempotency.service';

@Module({
  controllers: [CapturesController],
  providers: [CapturesService, IdempotencyService],
  exports: [CapturesService],
})
export class CapturesModule {}
