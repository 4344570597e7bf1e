import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { ApiClient } from '../auth/api-clients';
import { CurrentClient, RequireScope } from '../auth/api-key.guard';
import { EventsService } from './events.service';
import { ListEventsQuerySchema } from './list-events.query';

/** Catch-up and redelivery of the client's own capture events. */
@Controller('v1/events')
export class EventsController {
  constructor(@Inject(EventsService) private readonly events: EventsService) {}

  @Get()
  @RequireScope('captures:read')
  list(@Query() query: unknown, @CurrentClient() client: ApiClient) {
    return this.events.list(client, ListEventsQuerySchema.parse(query));
  }

  @Get(':id')
  @RequireScope('captures:read')
  get(@Param('id') id: string, @CurrentClient() client: ApiClient) {
    return this.events.get(client, id);
  }

  /** Queues the event again for the client's subscriptions: 202, delivered by the background loop. */
  @Post(':id/redeliver')
  @HttpCode(202)
  @RequireScope('captures:create')
  redeliver(@Param('id') id: string, @CurrentClient() client: ApiClient) {
    return this.events.redeliver(client, id);
  }
}
