import { Body, Controller, Get, Headers, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentClient } from '../auth/api-key.guard';
import type { ApiClient } from '../auth/api-clients';
import { CAPTURE_REPOSITORY } from '../persistence/persistence.module';
import type { CaptureRepository } from '../persistence/capture.repository';
import { CapturesService } from './captures.service';
import { IdempotencyService } from './idempotency.service';
import { ListCapturesQuerySchema } from './list-captures.query';

@Controller('v1/captures')
export class CapturesController {
  constructor(
    @Inject(CapturesService) private readonly captures: CapturesService,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(CAPTURE_REPOSITORY) private readonly repository: CaptureRepository,
  ) {}

  @Post()
  async create(
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentClient() client: ApiClient,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const requestId = String(request.id);
    const prepared = this.captures.prepare(client, body);
    const response =
      key === undefined
        ? await this.captures.execute(prepared, client, requestId)
        : await this.idempotency.run(client.id, key, body, requestId, {
            start: (use) => this.captures.start(prepared, client, requestId, use),
            finish: (record, completion) => this.captures.finish(prepared, record, requestId, completion),
          });
    void reply.status(response.status);
    if (response.replayed) void reply.header('idempotent-replayed', 'true');
    return response.body;
  }

  @Get()
  async list(@Query() query: unknown, @CurrentClient() client: ApiClient) {
    const filter = ListCapturesQuerySchema.parse(query);
    const accounts = filter.account ? client.accounts.filter((a) => a === filter.account) : client.accounts;
    const page = await this.repository.list({
      accounts,
      limit: filter.limit + 1,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.createdFrom ? { createdFrom: new Date(filter.createdFrom) } : {}),
      ...(filter.createdTo ? { createdTo: new Date(filter.createdTo) } : {}),
      ...(filter.cursor ? { after: filter.cursor } : {}),
    });
    const data = page.slice(0, filter.limit);
    return { data, nextCursor: page.length > filter.limit ? data[data.length - 1]!.id : null };
  }

  @Get(':id')
  get(@Param('id') id: string, @CurrentClient() client: ApiClient) {
    return this.captures.get(client, id);
  }

  /** The audit trail: each status change with its time and source (api, webhook). */
  @Get(':id/history')
  async history(@Param('id') id: string, @CurrentClient() client: ApiClient) {
    const record = await this.captures.get(client, id);
    return { data: await this.repository.history(record.id) };
  }
}
