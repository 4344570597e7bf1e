import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { OpenApiDocument } from './openapi.document';

export interface DocsModuleOptions {
  /** Served as-is at `/openapi.json`; build it with `buildOpenApiDocument`. */
  document: OpenApiDocument;
}

export const { ConfigurableModuleClass: DocsModuleBase, MODULE_OPTIONS_TOKEN: DOCS_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<DocsModuleOptions>().setClassMethodName('forRoot').build();
