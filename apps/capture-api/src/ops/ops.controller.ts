import { Controller, Get, Inject, Query } from '@nestjs/common';
import { CurrentClient, RequireScope } from '../auth/api-key.guard';
import type { ApiClient } from '../auth/api-clients';
import { AttentionQuerySchema, HealthQuerySchema } from './ops.schemas';
import { OpsService } from './ops.service';

/** The operations page's own data: read-only, on the key's accounts, with the `ops:read` scope. */
@Controller('v1/ops')
export class OpsController {
  constructor(@Inject(OpsService) private readonly ops: OpsService) {}

  @Get('attention')
  @RequireScope('ops:read')
  attention(@Query() query: unknown, @CurrentClient() client: ApiClient) {
    return this.ops.attention(client, AttentionQuerySchema.parse(query));
  }

  @Get('health')
  @RequireScope('ops:read')
  health(@Query() query: unknown, @CurrentClient() client: ApiClient) {
    return this.ops.health(client, HealthQuerySchema.parse(query));
  }
}
