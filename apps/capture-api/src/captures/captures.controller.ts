import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CurrentClient, RequireScope } from '../auth/api-key.guard';
import type { ApiClient } from '../auth/api-clients';
import { CaptureResolutionService } from './capture-resolution.service';
import { CapturesService } from './captures.service';
import { ListCapturesQuerySchema } from './list-captures.query';
import { AcknowledgeCaptureSchema, ResolveCaptureSchema } from './resolve-capture.schemas';

// POST /v1/captures itself is not here: it is a plain Fastify route (create-capture.route.ts).
@Controller('v1/captures')
export class CapturesController {
  constructor(
    @Inject(CapturesService) private readonly captures: CapturesService,
    @Inject(CaptureResolutionService) private readonly resolution: CaptureResolutionService,
  ) {}

  @Get()
  @RequireScope('captures:read')
  list(@Query() query: unknown, @CurrentClient() client: ApiClient) {
    return this.captures.list(client, ListCapturesQuerySchema.parse(query));
  }

  @Get(':id')
  @RequireScope('captures:read')
  get(@Param('id') id: string, @CurrentClient() client: ApiClient) {
    return this.captures.get(client, id);
  }

  /** An operator settles a capture in doubt; needs the captures:resolve scope. */
  @Post(':id/resolve')
  @HttpCode(200)
  @RequireScope('captures:resolve')
  resolve(@Param('id') id: string, @Body() body: unknown, @CurrentClient() client: ApiClient, @Req() request: FastifyRequest) {
    return this.resolution.resolve(client, id, ResolveCaptureSchema.parse(body), String(request.id));
  }

  /** An operator closes a capture's flag (a report that contradicted it); needs the captures:resolve scope. */
  @Post(':id/acknowledge')
  @HttpCode(200)
  @RequireScope('captures:resolve')
  acknowledge(@Param('id') id: string, @Body() body: unknown, @CurrentClient() client: ApiClient, @Req() request: FastifyRequest) {
    return this.resolution.acknowledge(client, id, AcknowledgeCaptureSchema.parse(body), String(request.id));
  }

  /** The audit trail: status changes, checks, flags, acknowledgements and re-sends, with their time, source and actor. */
  @Get(':id/history')
  @RequireScope('captures:read')
  async history(@Param('id') id: string, @CurrentClient() client: ApiClient) {
    return { data: await this.captures.history(client, id) };
  }
}
