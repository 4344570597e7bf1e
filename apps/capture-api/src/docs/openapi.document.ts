import {
  CAPTURE_EVENT_TYPES,
  CaptureErrorSchema,
  CaptureEventSchema,
  CaptureRecordSchema,
  CaptureRequestSchema,
  CaptureStatusSchema,
  ErrorCodeSchema,
  MaskedCardSchema,
  MoneySchema,
  ProviderReferencesSchema,
} from '@capture-gateway/domain';
import type { AnyCapturePlugin } from '@capture-gateway/plugin-sdk';
import { mergeComponents, schemaRef, zodComponents, type JsonObject, type NamedSchema } from './openapi.components';
import { AcknowledgeCaptureSchema, ResolveCaptureSchema } from '../captures/resolve-capture.schemas';
import { AttentionListSchema, AttentionQuerySchema, HealthQuerySchema, HealthReportSchema, OpsSessionSchema } from '../ops/ops.schemas';
import { buildWebhooks } from './openapi.event-paths';
import { buildPaths, TAGS } from './openapi.paths';
import { errorCodeTable } from './openapi.responses';
import {
  CaptureHistorySchema,
  CaptureListQuerySchema,
  EventDetailSchema,
  EventListQuerySchema,
  EventListSchema,
  RedeliveryResultSchema,
  AuthorisationSchema,
  CaptureListSchema,
  ErrorResponseSchema,
  LivenessSchema,
  ProviderListSchema,
  ReadinessSchema,
  WebhookAcknowledgementSchema,
} from './openapi.schemas';

export interface OpenApiDocumentInput {
  /** The plugins the service loaded: each one's `captureOptionsSchema` is documented. */
  plugins: readonly AnyCapturePlugin[];
  /** The service's version, shown as `info.version`. */
  version: string;
}

export type OpenApiDocument = JsonObject & { openapi: '3.1.0'; paths: Record<string, Record<string, JsonObject>> };

// The component name of a plugin's provider options.
export function providerOptionsId(pluginId: string): string {
  return `ProviderOptions_${pluginId}`;
}

const idOf = (schema: { meta(): { id?: string } | undefined }) => {
  const id = schema.meta()?.id;
  if (!id) throw new Error('A documented domain schema lost its .meta({ id })');
  return id;
};
const named = (...schemas: Array<NamedSchema['schema']>): NamedSchema[] => schemas.map((schema) => ({ id: idOf(schema), schema }));

function requestComponents(plugins: readonly AnyCapturePlugin[]) {
  const options = plugins
    .filter((plugin) => plugin.captureOptionsSchema)
    .map((plugin) => ({ id: providerOptionsId(plugin.id), schema: plugin.captureOptionsSchema as NamedSchema['schema'] }));
  return zodComponents([...named(CaptureRequestSchema, MoneySchema, ResolveCaptureSchema, AcknowledgeCaptureSchema), ...options], 'input');
}

function responseComponents() {
  return zodComponents(
    named(
      CaptureRecordSchema,
      MoneySchema,
      CaptureStatusSchema,
      ErrorCodeSchema,
      CaptureErrorSchema,
      ProviderReferencesSchema,
      MaskedCardSchema,
      ErrorResponseSchema,
      CaptureListSchema,
      CaptureHistorySchema,
      AuthorisationSchema,
      CaptureEventSchema,
      EventListSchema,
      EventDetailSchema,
      RedeliveryResultSchema,
      ProviderListSchema,
      WebhookAcknowledgementSchema,
      LivenessSchema,
      ReadinessSchema,
      AttentionListSchema,
      HealthReportSchema,
      OpsSessionSchema,
    ),
    'output',
  );
}

// The request schema accepts any object under providerOptions (the account's plugin validates it);
// the document says which shape each provider takes.
function documentProviderOptions(request: JsonObject, plugins: readonly AnyCapturePlugin[]): JsonObject {
  const withOptions = plugins.filter((plugin) => plugin.captureOptionsSchema);
  const properties = request['properties'] as Record<string, JsonObject>;
  const lines = plugins.map((plugin) =>
    plugin.captureOptionsSchema
      ? `- \`${plugin.id}\` (${plugin.displayName}): see \`${providerOptionsId(plugin.id)}\``
      : `- \`${plugin.id}\` (${plugin.displayName}): takes no provider options`,
  );
  const description = ["Provider-specific fields, validated by the plugin of the request's account.", ...lines].join('\n');
  const refs = withOptions.map((plugin) => schemaRef(providerOptionsId(plugin.id)));
  // anyOf, not oneOf: option shapes may overlap ({} fits several); the account decides which applies.
  const shape = refs.length === 0 ? properties['providerOptions'] : refs.length === 1 ? refs[0] : { anyOf: refs };
  const providerOptions = { ...shape, description };
  return { ...request, properties: { ...properties, providerOptions } };
}

function queryProperties(id: string, schema: NamedSchema['schema']): Record<string, JsonObject> {
  const components = zodComponents([{ id, schema }, ...named(CaptureStatusSchema)], 'input');
  return components[id]['properties'] as Record<string, JsonObject>;
}

/** The OpenAPI 3.1 document of the whole service, generated from the zod schemas that validate it. */
export function buildOpenApiDocument({ plugins, version }: OpenApiDocumentInput): OpenApiDocument {
  const schemas = mergeComponents(requestComponents(plugins), responseComponents());
  schemas['CaptureRequest'] = documentProviderOptions(schemas['CaptureRequest'], plugins);
  schemas['ErrorCode'] = { ...schemas['ErrorCode'], description: errorCodeTable() };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Capture Gateway API',
      version,
      description: 'One API for capturing authorised card payments, in front of many payment providers. Amounts are integer minor units.',
    },
    servers: [{ url: '/', description: 'This service' }],
    tags: TAGS,
    paths: buildPaths(
      queryProperties('CaptureListQuery', CaptureListQuerySchema),
      queryProperties('EventListQuery', EventListQuerySchema),
      {
        attention: queryProperties('AttentionQuery', AttentionQuerySchema),
        health: queryProperties('HealthQuery', HealthQuerySchema),
      },
    ),
    webhooks: buildWebhooks(CAPTURE_EVENT_TYPES),
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key of your team, sent as `Authorization: Bearer <key>`' },
      },
      headers: {
        RequestId: { description: 'The id of this request, also in our logs: quote it when you ask for help', schema: { type: 'string' } },
      },
    },
  };
}

export interface DocumentedRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI form: `/v1/captures/{id}`. */
  path: string;
  /** Fastify/Nest form of the same path: `/v1/captures/:id`, as the app registers it. */
  routePath: string;
}

/** Every route the document covers; a test of the app checks each route it registers is here. */
export const DOCUMENTED_ROUTES: readonly DocumentedRoute[] = Object.entries(buildPaths({})).flatMap(([path, operations]) =>
  Object.keys(operations).map((method) => ({
    method: method.toUpperCase() as DocumentedRoute['method'],
    path,
    routePath: path.replace(/\{(\w+)\}/g, ':$1'),
  })),
);
