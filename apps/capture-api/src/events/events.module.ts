import { Module } from '@nestjs/common';
import { EventDeliveryService } from './event-delivery.service';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { SubscriptionRegistry } from './subscription.registry';

@Module({
  controllers: [EventsController],
  providers: [SubscriptionRegistry, EventsService, EventDeliveryService],
  exports: [SubscriptionRegistry],
})
export class EventsModule {}
