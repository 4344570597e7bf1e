import { SLUG_PATTERN } from '@capture-gateway/domain';
import { schemaRef, type JsonObject } from './openapi.components';
import {
  CAPTURE_EXAMPLE,
  CAPTURE_REQUEST_EXAMPLES,
  IDEMPOTENCY_KEY_EXAMPLE,
  PENDING_CAPTURE_EXAMPLE,
  withExample,
} from './openapi.examples';
import { errorResponses, jsonResponse } from './openapi.responses';

import { getEvent, listEvents, redeliverEvent } from './openapi.event-paths';
import { acknowledgeCapture, getAuthorisation, opsAttention, opsHealth, opsSession, resolveCapture } from './openapi.operator-paths';
import { BEARER, captureIdParam, PUBLIC, queryParameters } from './openapi.parameters';

const idempotencyKeyParam = {
  name: 'Idempotency-Key',
  in: 'header',
  // Required unless the service is configured with `idempotency.required: false`.
  required: true,
  description:
    'Your unique key for this capture (required by default: `400 idempotency_key_required` without one). The same key and body replay the stored response; the same key ' +
    'with another body is `idempotency_key_reused`; a retry while the first request runs is `idempotency_request_in_progress`.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
  example: IDEMPOTENCY_KEY_EXAMPLE,
};

function createCapture(): JsonObject {
  return {
    operationId: 'createCapture',
    summary: 'Capture an authorised payment',
    tags: ['captures'],
    security: BEARER,
    parameters: [idempotencyKeyParam],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: schemaRef('CaptureRequest'), examples: CAPTURE_REQUEST_EXAMPLES } },
    },
    responses: {
      '201': withExample(jsonResponse('Captured: the capture is final (`succeeded`)', 'Capture'), CAPTURE_EXAMPLE),
      '202': withExample(
        jsonResponse(
          "Accepted, not final (`pending` or `unknown`): read it back with GET or wait for the provider's webhook. Never retry with a new key.",
          'Capture',
        ),
        PENDING_CAPTURE_EXAMPLE,
      ),
      ...errorResponses([400, 401, 402, 403, 409, 413, 422, 429, 500, 502, 503, 504]),
      '503': busyResponse(),
    },
  };
}

// provider_busy and service_unavailable: nothing was sent or stored; retry with the same key after Retry-After.
function busyResponse(): JsonObject {
  const [, response = {}] = Object.entries(errorResponses([503]))[0] ?? [];
  return {
    ...response,
    description: `${String(response['description'])}. \`provider_busy\`: no connection to the provider came free in time; the capture was neither sent nor stored. Retry with the same Idempotency-Key after \`Retry-After\` seconds.`,
    headers: {
      ...(response['headers'] as JsonObject),
      'retry-after': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } },
    },
  };
}

function listCaptures(queryProperties: Record<string, JsonObject>): JsonObject {
  const parameters = queryParameters(queryProperties);
  return {
    operationId: 'listCaptures',
    summary: 'List captures, newest first, one page at a time',
    tags: ['captures'],
    security: BEARER,
    parameters,
    responses: { '200': jsonResponse('A page of captures', 'CaptureList'), ...errorResponses([400, 401, 403, 429, 500, 503]) },
  };
}

const getCapture: JsonObject = {
  operationId: 'getCapture',
  summary: 'Read one capture',
  tags: ['captures'],
  security: BEARER,
  parameters: [captureIdParam],
  responses: { '200': jsonResponse('The capture', 'Capture'), ...errorResponses([400, 401, 403, 404, 429, 500, 503]) },
};

const getCaptureHistory: JsonObject = {
  operationId: 'getCaptureHistory',
  summary: "A capture's audit trail: every status change (who, why, when) and every status check at the provider",
  tags: ['captures'],
  security: BEARER,
  parameters: [captureIdParam],
  responses: {
    '200': jsonResponse('The status changes, checks, flags, acknowledgements and re-sends, oldest first', 'CaptureHistory'),
    ...errorResponses([400, 401, 403, 404, 429, 500, 503]),
  },
};

// The receipt, or the answer the account's plugin chose for its provider (plugin contract 1.5.0).
const receipt = jsonResponse(
  "Delivery accepted (a repeated event changes nothing): the receipt, or the answer the account's provider expects (Adyen: text/plain `[accepted]`)",
  'WebhookAcknowledgement',
);
const webhookAccepted: JsonObject = {
  ...receipt,
  content: { ...(receipt['content'] as JsonObject), 'text/plain': { schema: { type: 'string', maxLength: 1024 } } },
};

const receiveWebhook: JsonObject = {
  operationId: 'receiveWebhook',
  summary: "Receive a provider's webhook for one account",
  description: "Authenticated by the provider's signature, not by a bearer token. The body is the provider's own format.",
  tags: ['webhooks'],
  security: PUBLIC,
  parameters: [
    {
      name: 'account',
      in: 'path',
      required: true,
      description: 'The account the webhook is for',
      schema: { type: 'string', pattern: SLUG_PATTERN.source },
    },
  ],
  requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
  responses: {
    '200': webhookAccepted,
    // An unknown account answers as a bad signature does (401): accounts cannot be enumerated.
    ...errorResponses([400, 401, 413, 500, 503]),
  },
};

const listProviders: JsonObject = {
  operationId: 'listProviders',
  summary: "List the provider plugins of the caller's accounts, with those accounts",
  tags: ['providers'],
  security: BEARER,
  responses: { '200': jsonResponse("The plugins of the caller's accounts", 'ProviderList'), ...errorResponses([401, 403, 429, 500]) },
};

const live: JsonObject = {
  operationId: 'getLiveness',
  summary: 'Liveness: the process is up',
  tags: ['operations'],
  security: PUBLIC,
  responses: { '200': jsonResponse('The process is up', 'Liveness') },
};

const ready: JsonObject = {
  operationId: 'getReadiness',
  summary: 'Readiness: every check passes (database, migrations, plugins)',
  tags: ['operations'],
  security: PUBLIC,
  responses: {
    '200': jsonResponse('Ready to serve', 'Readiness'),
    '503': jsonResponse('Not ready: the failing checks are listed', 'Readiness'),
  },
};

const metrics: JsonObject = {
  operationId: 'getMetrics',
  summary: 'Metrics in the Prometheus text format',
  description:
    'Open unless `metrics.token` is configured (then `Authorization: Bearer <token>`); with `metrics.port`, served on that port only.',
  tags: ['operations'],
  security: PUBLIC,
  responses: {
    '200': { description: 'Prometheus exposition', content: { 'text/plain': { schema: { type: 'string' } } } },
    ...errorResponses([401]),
  },
};

const openapi: JsonObject = {
  operationId: 'getOpenApiDocument',
  summary: 'This OpenAPI document',
  tags: ['operations'],
  security: PUBLIC,
  responses: { '200': { description: 'The OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
};

/** Every path of the service, in OpenAPI form. */
export function buildPaths(
  listQueryProperties: Record<string, JsonObject>,
  eventQueryProperties: Record<string, JsonObject> = {},
  opsQueryProperties: { attention: Record<string, JsonObject>; health: Record<string, JsonObject> } = { attention: {}, health: {} },
): Record<string, Record<string, JsonObject>> {
  return {
    '/v1/captures': { post: createCapture(), get: listCaptures(listQueryProperties) },
    '/v1/events': { get: listEvents(eventQueryProperties) },
    '/v1/events/{id}': { get: getEvent },
    '/v1/events/{id}/redeliver': { post: redeliverEvent },
    '/v1/captures/{id}': { get: getCapture },
    '/v1/captures/{id}/history': { get: getCaptureHistory },
    '/v1/captures/{id}/resolve': { post: resolveCapture },
    '/v1/captures/{id}/acknowledge': { post: acknowledgeCapture },
    '/v1/authorisations/{account}/{authorisationId}': { get: getAuthorisation },
    '/v1/webhooks/{account}': { post: receiveWebhook },
    '/v1/providers': { get: listProviders },
    '/v1/ops/attention': { get: opsAttention(opsQueryProperties.attention) },
    '/v1/ops/health': { get: opsHealth(opsQueryProperties.health) },
    '/v1/ops/session': opsSession,
    '/health/live': { get: live },
    '/health/ready': { get: ready },
    '/metrics': { get: metrics },
    '/openapi.json': { get: openapi },
  };
}

export const TAGS = [
  { name: 'captures', description: 'Capture authorised payments and read them back' },
  { name: 'webhooks', description: 'Deliveries from providers, which settle pending captures' },
  { name: 'events', description: 'Signed capture events pushed to your subscriptions, and the API to catch up and redeliver' },
  { name: 'providers', description: 'The provider plugins this service loaded' },
  { name: 'operations', description: "Health, metrics, this document, and the operations page's data, for operators and tools" },
];
