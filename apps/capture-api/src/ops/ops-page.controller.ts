import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { OPS_CONTENT_SECURITY_POLICY, OPS_HTML, opsAsset } from './ops.page';

// Public, like /docs: the shell and its scripts hold no data (the guard lists /ops as public).
@Controller('ops')
export class OpsPageController {
  @Get()
  page(@Res() reply: FastifyReply): void {
    reply
      .header('content-security-policy', OPS_CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(OPS_HTML);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const asset = opsAsset(file);
    if (!asset) throw new NotFoundException();
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').type(asset.contentType).send(asset.body);
  }
}
