import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { AuthorisationsController } from './authorisations.controller';
import { CapturesController } from './captures.controller';
import { CaptureResolutionService } from './capture-resolution.service';
import { CaptureStatusService } from './capture-status.service';
import { CapturesService } from './captures.service';
import { CreateCaptureRoute } from './create-capture.route';
import { LifecyclePolicies } from './lifecycle-policies';
import { IdempotencyService } from './idempotency.service';
import { PendingOutcomes } from './pending-outcomes';
import { ProviderSlotsService } from './provider-slots.service';

@Module({
  imports: [EventsModule],
  controllers: [CapturesController, AuthorisationsController],
  providers: [
    CapturesService,
    CreateCaptureRoute,
    CaptureResolutionService,
    IdempotencyService,
    CaptureStatusService,
    LifecyclePolicies,
    PendingOutcomes,
    ProviderSlotsService,
  ],
  exports: [CapturesService, CaptureStatusService, LifecyclePolicies, ProviderSlotsService],
})
export class CapturesModule {}
