export { buildOpenApiDocument, DOCUMENTED_ROUTES, providerOptionsId } from './openapi.document';
export type { DocumentedRoute, OpenApiDocument, OpenApiDocumentInput } from './openapi.document';
export { DocsModule } from './docs.module';
export type { DocsModuleOptions } from './docs.module-definition';
export { DOCS_PATH, DOCS_ASSETS_PATH, OPENAPI_PATH } from './docs.page';
export {
  CaptureHistorySchema,
  CaptureListQuerySchema,
  CaptureListSchema,
  ErrorResponseSchema,
  LivenessSchema,
  ProviderListSchema,
  ProviderSummarySchema,
  ReadinessSchema,
  WebhookAcknowledgementSchema,
} from './openapi.schemas';
