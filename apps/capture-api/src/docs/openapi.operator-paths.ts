import { SLUG_PATTERN } from '@capture-gateway/domain';
import { schemaRef, type JsonObject } from './openapi.components';
import { BEARER, captureIdParam, queryParameters } from './openapi.parameters';
import { errorResponses, jsonResponse } from './openapi.responses';

// Operations past a capture's first answer: operators settling or acknowledging it, an
// authorisation captured in parts, and the operations page's data (attention list, provider health).

export const resolveCapture: JsonObject = {
  operationId: 'resolveCapture',
  summary: 'Settle a capture in doubt (operators)',
  description:
    'For a capture that is `unknown` or `pending` and that no provider check can settle: an operator records what the provider did, ' +
    'with the evidence in `reason`. Needs the `captures:resolve` scope; audited in the history. A final capture is 409 ' +
    '`capture_not_in_doubt`; resolving `failed` frees a once-only authorisation for a new capture.',
  tags: ['captures'],
  security: BEARER,
  parameters: [captureIdParam],
  requestBody: { required: true, content: { 'application/json': { schema: schemaRef('ResolveCapture') } } },
  responses: {
    '200': jsonResponse('The capture as resolved', 'Capture'),
    ...errorResponses([400, 401, 403, 404, 409, 429, 500, 503]),
  },
};

export const acknowledgeCapture: JsonObject = {
  operationId: 'acknowledgeCapture',
  summary: 'Close the flag on a capture (operators)',
  description:
    'A capture is flagged when a report contradicts it (a final status reported as the other one) or claims more than was asked ' +
    '(or another currency): the report is not applied, and the capture shows on the operations page until an operator acknowledges ' +
    'it here, saying in `note` what was done. The status stays. Needs the `captures:resolve` scope; audited in the history. ' +
    'A capture with no open flag is 409 `capture_not_flagged`.',
  tags: ['captures'],
  security: BEARER,
  parameters: [captureIdParam],
  requestBody: { required: true, content: { 'application/json': { schema: schemaRef('AcknowledgeCapture') } } },
  responses: {
    '200': jsonResponse('The capture, its flag closed', 'Capture'),
    ...errorResponses([400, 401, 403, 404, 409, 429, 500, 503]),
  },
};

export const getAuthorisation: JsonObject = {
  operationId: 'getAuthorisation',
  summary: 'Read an authorisation captured in parts',
  description:
    'Every capture of one authorisation on one account (oldest first), its captured total per currency, the authorised amount ' +
    'its captures declared, and whether it is closed (a final capture that did not fail, or the provider, closed it: a further ' +
    'capture is `409 authorisation_closed`). Needs `captures:read`; an account the key may not use, or an authorisation with no ' +
    'capture, is 404.',
  tags: ['captures'],
  security: BEARER,
  parameters: [
    { name: 'account', in: 'path', required: true, schema: { type: 'string', pattern: SLUG_PATTERN.source } },
    {
      name: 'authorisationId',
      in: 'path',
      required: true,
      description: "The provider's reference of the authorisation",
      schema: { type: 'string' },
    },
  ],
  responses: { '200': jsonResponse('The authorisation', 'Authorisation'), ...errorResponses([400, 401, 403, 404, 429, 500, 503]) },
};

// The ops page's operator session: the pasted key is traded once for a signed cookie, so the page
// never keeps the key. Documented with the bearer scheme, which opens it; GET and DELETE also take the cookie.
const SESSION_COOKIE_NOTE =
  'The session is the `cg_ops_session` cookie (HttpOnly, SameSite=Strict, Path=/, Secure over TLS, 15 minutes renewed while in use). ' +
  'It reaches only the routes the operations page calls, with the scopes of the key that opened it; a state-changing request made ' +
  "with it must carry the session's `X-CSRF-Token` header, else 403 `csrf_token_invalid`. Rotating or removing the key ends it (401).";

export const opsSession: Record<string, JsonObject> = {
  post: {
    operationId: 'openOpsSession',
    summary: 'Open an operator session for the operations page',
    description: `Needs the key as \`Authorization: Bearer <key>\` with the \`ops:read\` scope (a cookie cannot open a session). ${SESSION_COOKIE_NOTE}`,
    tags: ['operations'],
    security: BEARER,
    responses: {
      '201': jsonResponse('The session; its cookie is in Set-Cookie', 'OpsSession'),
      ...errorResponses([401, 403, 429, 500, 503]),
    },
  },
  get: {
    operationId: 'getOpsSession',
    summary: 'The current operator session (by its cookie)',
    description: `The page reads its CSRF token here after a reload. ${SESSION_COOKIE_NOTE}`,
    tags: ['operations'],
    security: BEARER,
    responses: { '200': jsonResponse('The session', 'OpsSession'), ...errorResponses([401, 403, 429, 500, 503]) },
  },
  delete: {
    operationId: 'closeOpsSession',
    summary: 'Sign out: end the operator session',
    description: `Deletes the cookie and revokes the session on this replica until it would have expired. ${SESSION_COOKIE_NOTE}`,
    tags: ['operations'],
    security: BEARER,
    responses: { '204': { description: 'Signed out' }, ...errorResponses([401, 403, 429, 500, 503]) },
  },
};

export const opsAttention = (queryProperties: Record<string, JsonObject>): JsonObject => ({
  operationId: 'listAttention',
  summary: 'Captures that need an operator, oldest first (operators)',
  description:
    "For the operations page (`/ops`): `unknown` captures whose provider call has ended, `pending` ones past the account's " +
    '`pendingCheckAfterSeconds`, and final ones a signed webhook contradicted, each with its age; on the accounts of the key. ' +
    'Needs the `ops:read` scope.',
  tags: ['operations'],
  security: BEARER,
  parameters: queryParameters(queryProperties),
  responses: {
    '200': jsonResponse('A page of captures needing attention', 'AttentionList'),
    ...errorResponses([400, 401, 403, 429, 500, 503]),
  },
});

export const opsHealth = (queryProperties: Record<string, JsonObject>): JsonObject => ({
  operationId: 'getProviderHealth',
  summary: "Each account's provider health over the last hour or 15 minutes (operators)",
  description:
    "Of the captures created in the window whose provider's first answer is stored: counts and rates of succeeded, pending, " +
    'declined, error and timeout answers, and the latency percentiles of the provider call, for the window and per bucket. ' +
    'Needs the `ops:read` scope.',
  tags: ['operations'],
  security: BEARER,
  parameters: queryParameters(queryProperties),
  responses: { '200': jsonResponse('Provider health per account', 'HealthReport'), ...errorResponses([400, 401, 403, 429, 500, 503]) },
});
