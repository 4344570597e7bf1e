import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DOCS_MODULE_OPTIONS, type DocsModuleOptions } from './docs.module-definition';
import { DOCS_CONTENT_SECURITY_POLICY, DOCS_HTML, docsAsset } from './docs.page';
import type { OpenApiDocument } from './openapi.document';

@Controller()
export class DocsController {
  constructor(@Inject(DOCS_MODULE_OPTIONS) private readonly options: DocsModuleOptions) {}

  @Get('openapi.json')
  @Header('cache-control', 'no-cache')
  document(): OpenApiDocument {
    return this.options.document;
  }

  @Get('docs')
  page(@Res() reply: FastifyReply): void {
    reply
      .header('content-security-policy', DOCS_CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .type('text/html; charset=utf-8')
      .send(DOCS_HTML);
  }

  @Get('docs/assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const asset = docsAsset(file);
    if (!asset) throw new NotFoundException();
    reply
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .type(asset.contentType)
      .send(asset.body);
  }
}
