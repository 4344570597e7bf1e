import { schemaRef, type JsonObject } from './openapi.components';
import { BEARER, PUBLIC, queryParameters } from './openapi.parameters';
import { errorResponses, jsonResponse } from './openapi.responses';

// The events API (catch up, look up, redeliver) and the events the service POSTs to subscriptions.

const eventIdParam: JsonObject = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'An event id (`evt_…`)',
  schema: { type: 'string', pattern: '^evt_[0-9A-Za-z]{8,64}$' },
};

export const listEvents = (queryProperties: Record<string, JsonObject>): JsonObject => ({
  operationId: 'listEvents',
  summary: 'Your capture events, oldest first: catch up on what you missed',
  description:
    'The events of your own captures within the retention window (30 days by default), the same JSON as delivered. A client configured `events: subscriptions` keeps only the events its subscriptions take: 409 `events_not_kept`.',
  tags: ['events'],
  security: BEARER,
  parameters: queryParameters(queryProperties),
  responses: { '200': jsonResponse('A page of events', 'EventList'), ...errorResponses([400, 401, 403, 409, 429, 500, 503]) },
});

export const getEvent: JsonObject = {
  operationId: 'getEvent',
  summary: 'One of your events, with its deliveries to your subscriptions',
  tags: ['events'],
  security: BEARER,
  parameters: [eventIdParam],
  responses: { '200': jsonResponse('The event and its deliveries', 'EventDetail'), ...errorResponses([400, 401, 403, 404, 429, 500, 503]) },
};

export const redeliverEvent: JsonObject = {
  operationId: 'redeliverEvent',
  summary: 'Send one of your events again to your subscriptions that take it',
  tags: ['events'],
  security: BEARER,
  parameters: [eventIdParam],
  responses: {
    '202': jsonResponse('Queued: delivered in the background', 'RedeliveryResult'),
    ...errorResponses([400, 401, 403, 404, 429, 500, 503]),
  },
};

/**
 * The events the service POSTs to your subscriptions (OpenAPI 3.1 `webhooks`): one per status a
 * capture comes to, signed in `Capture-Signature`.
 */
export function buildWebhooks(types: readonly string[]): Record<string, JsonObject> {
  return Object.fromEntries(
    types.map((type) => [
      type,
      {
        post: {
          operationId: `event_${type.replace('.', '_')}`,
          summary: `\`${type}\`: a capture came to status ${type.split('.')[1]}`,
          description:
            'Verify before trusting: `Capture-Signature: t=<unix seconds>,v1=<hex>[,v1=…]`, each `v1` the HMAC-SHA256 of ' +
            '`<t>.<raw body>` with one of your signing secrets (`verifyEvent` in @capture-gateway/client). Deduplicate on `id`; ' +
            'drop an event whose `sequence` is not above the last you applied for its capture. Answer 2xx within 10 s; ' +
            'anything else is retried with backoff for 72 hours.',
          tags: ['events'],
          // Called by us on your endpoint: authenticated by the signature, not a bearer token.
          security: PUBLIC,
          parameters: [
            { name: 'Capture-Signature', in: 'header', required: true, schema: { type: 'string' } },
            { name: 'Capture-Event-Id', in: 'header', required: true, schema: { type: 'string' } },
            { name: 'Capture-Event-Type', in: 'header', required: true, schema: { type: 'string', enum: [type] } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: schemaRef('CaptureEvent') } } },
          responses: { '200': { description: 'Received (any 2xx)' } },
        },
      },
    ]),
  );
}
