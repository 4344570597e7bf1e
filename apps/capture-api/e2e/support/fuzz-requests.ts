import fc from 'fast-check';
import { captureBody } from './fuzz-capture-body';
import { anyValue, contentType, headerValue, query, text, urlText } from './fuzz-values';

/** One generated request: raw path (already percent-encoded), headers, and body bytes. */
export interface FuzzRequest {
  route: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the generators need to know of the running service. */
export interface FuzzTargets {
  keys: { full: string; other: string };
  accounts: readonly string[];
  captureIds: readonly string[];
  eventIds: readonly string[];
  /** Signs a webhook body for an account, as its provider would. */
  sign(body: string): Record<string, string>;
}

/** Every route of the API, with odd paths, queries, headers, bodies and keys. */
export function fuzzRequest(targets: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const id = (known: readonly string[], prefix: string) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...known) },
      { weight: 1, arbitrary: urlText },
      { weight: 1, arbitrary: urlText.map((s) => `${prefix}${s}`) },
    );
  const auth = fc.oneof(
    { weight: 12, arbitrary: fc.constant({ authorization: `Bearer ${targets.keys.full}` }) },
    { weight: 1, arbitrary: fc.constant({ authorization: `Bearer ${targets.keys.other}` }) },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: headerValue.map((v) => ({ authorization: v })) },
    { weight: 1, arbitrary: headerValue.map((v) => ({ authorization: `Bearer ${v}` })) },
  );
  const extras = fc.record(
    {
      // Mostly a well-formed key, so bodies get past it to the capture path; sometimes anything.
      'idempotency-key': fc.oneof({ weight: 4, arbitrary: fc.uuid() }, { weight: 1, arbitrary: headerValue }),
      'x-request-id': headerValue,
      accept: headerValue,
      'accept-encoding': headerValue,
      'x-forwarded-for': headerValue,
    },
    { requiredKeys: [] },
  );
  const json = (body: fc.Arbitrary<string>) => fc.tuple(body, contentType).map(([b, type]) => ({ body: b, type }));
  const captureId = id(targets.captureIds, 'cap_');
  const eventId = id(targets.eventIds, 'evt_');
  const resolveBody = fc.oneof(
    fc
      .record(
        {
          status: fc.oneof(fc.constantFrom('succeeded', 'failed', 'pending'), text),
          reason: text,
          providerReference: text,
          capturedAmount: anyValue,
        },
        { requiredKeys: [] },
      )
      .map((b) => JSON.stringify(b)),
    anyValue.map((v) => JSON.stringify(v) ?? ''),
  );
  const webhookBody = fc.oneof(
    fc
      .array(
        fc.record(
          {
            id: text,
            authorisation: fc.oneof(text, fc.constantFrom('fuzz-ok')),
            capture: fc.oneof(fc.constantFrom(...targets.captureIds), text),
            reference: text,
            status: fc.constantFrom('captured', 'declined'),
          },
          { requiredKeys: ['id', 'authorisation', 'status'] },
        ),
        { maxLength: 3 },
      )
      .map((events) => JSON.stringify({ events })),
    anyValue.map((v) => JSON.stringify(v) ?? ''),
    text,
  );

  const routes: fc.Arbitrary<Omit<FuzzRequest, 'headers'> & { headers?: Record<string, string>; type?: string }>[] = [
    // Mostly JSON here, so the valid bodies reach real captures; the odd content types still come.
    fc
      .tuple(
        captureBody(targets),
        fc.oneof({ weight: 2, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType }),
      )
      .map(([body, type]) => ({
        route: 'POST /v1/captures',
        method: 'POST' as const,
        path: '/v1/captures',
        body,
        type,
      })),
    query(['account', 'status', 'createdFrom', 'createdTo', 'authorisationId', 'providerCaptureId', 'olderThan', 'limit', 'cursor']).map(
      (q) => ({ route: 'GET /v1/captures', method: 'GET' as const, path: `/v1/captures${q}` }),
    ),
    captureId.map((c) => ({ route: 'GET /v1/captures/:id', method: 'GET' as const, path: `/v1/captures/${c}` })),
    captureId.map((c) => ({ route: 'GET /v1/captures/:id/history', method: 'GET' as const, path: `/v1/captures/${c}/history` })),
    fc.tuple(captureId, json(resolveBody)).map(([c, { body, type }]) => ({
      route: 'POST /v1/captures/:id/resolve',
      method: 'POST' as const,
      path: `/v1/captures/${c}/resolve`,
      body,
      type,
    })),
    query(['type', 'captureId', 'limit', 'cursor']).map((q) => ({
      route: 'GET /v1/events',
      method: 'GET' as const,
      path: `/v1/events${q}`,
    })),
    eventId.map((e) => ({ route: 'GET /v1/events/:id', method: 'GET' as const, path: `/v1/events/${e}` })),
    eventId.map((e) => ({ route: 'POST /v1/events/:id/redeliver', method: 'POST' as const, path: `/v1/events/${e}/redeliver` })),
    fc
      .tuple(fc.oneof(fc.constantFrom(...targets.accounts), urlText), json(webhookBody), fc.integer({ min: 0, max: 3 }))
      .map(([account, { body, type }, signing]) => ({
        route: 'POST /v1/webhooks/:account',
        method: 'POST' as const,
        path: `/v1/webhooks/${account}`,
        body,
        type,
        headers: signing > 0 ? targets.sign(body) : { 'x-fake-signature': 'nope' },
      })),
    query(['account', 'limit']).map((q) => ({ route: 'GET /v1/providers', method: 'GET' as const, path: `/v1/providers${q}` })),
  ];
  return fc.tuple(fc.oneof(...routes), auth, extras).map(([request, authHeaders, extra]) => {
    const headers: Record<string, string> = { ...extra, ...authHeaders, ...(request.headers ?? {}) };
    if (request.type) headers['content-type'] = request.type;
    return {
      route: request.route,
      method: request.method,
      path: request.path,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    };
  });
}
