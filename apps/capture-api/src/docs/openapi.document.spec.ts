import { ERROR_CODES, ERROR_HTTP_STATUS } from '@capture-gateway/domain';
import { DOCUMENTED_ROUTES, buildOpenApiDocument, type OpenApiDocument } from './openapi.document';
import { fakePlugins } from './testing/fake-plugins';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('buildOpenApiDocument', () => {
  const doc: OpenApiDocument = buildOpenApiDocument({ plugins: fakePlugins, version: '1.2.3' });
  const schemas = (doc.components as Json)['schemas'] as Json;
  const operation = (method: string, path: string): Json => doc.paths[path]?.[method.toLowerCase()] as Json;

  it('is OpenAPI 3.1 with the service version', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect((doc['info'] as Json)['version']).toBe('1.2.3');
  });

  it('documents every route of the service, and DOCUMENTED_ROUTES lists exactly those', () => {
    const expected = [
      'POST /v1/captures',
      'GET /v1/captures',
      'GET /v1/captures/{id}',
      'GET /v1/captures/{id}/history',
      'POST /v1/captures/{id}/resolve',
      'POST /v1/captures/{id}/acknowledge',
      'GET /v1/authorisations/{account}/{authorisationId}',
      'GET /v1/events',
      'GET /v1/events/{id}',
      'POST /v1/events/{id}/redeliver',
      'POST /v1/webhooks/{account}',
      'GET /v1/providers',
      'GET /v1/ops/attention',
      'GET /v1/ops/health',
      'POST /v1/ops/session',
      'GET /v1/ops/session',
      'DELETE /v1/ops/session',
      'GET /health/live',
      'GET /health/ready',
      'GET /metrics',
      'GET /openapi.json',
    ];
    expect(DOCUMENTED_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual([...expected].sort());
    for (const route of DOCUMENTED_ROUTES) expect(operation(route.method, route.path)).toBeDefined();
    expect(DOCUMENTED_ROUTES).toContainEqual({ method: 'GET', path: '/v1/captures/{id}', routePath: '/v1/captures/:id' });
  });

  it('takes the request and record shapes from the domain zod schemas, by reference', () => {
    const create = operation('POST', '/v1/captures');
    expect(create['requestBody'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CaptureRequest' });
    expect(create['responses']['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Capture' });
    expect(create['responses']['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Capture' });
    expect(schemas['CaptureRequest'].required).toEqual(['account', 'authorisationId']);
    expect(schemas['CaptureRequest'].properties.amount).toEqual({ $ref: '#/components/schemas/Money' });
    expect(schemas['Money'].properties.amount.type).toBe('integer');
    expect(schemas['Capture'].properties.status).toEqual({ $ref: '#/components/schemas/CaptureStatus' });
    expect(schemas['CaptureStatus'].enum).toEqual(['pending', 'succeeded', 'failed', 'unknown']);
    expect(JSON.stringify(doc)).not.toContain('__shared');
  });

  it('documents the required Idempotency-Key header on POST /v1/captures', () => {
    expect(operation('POST', '/v1/captures')['parameters']).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
  });

  it('documents the list filters and the page shape', () => {
    const names = (operation('GET', '/v1/captures')['parameters'] as Json[]).map((p) => p['name']);
    expect(names).toEqual([
      'account',
      'status',
      'createdFrom',
      'createdTo',
      'authorisationId',
      'providerCaptureId',
      'olderThan',
      'limit',
      'cursor',
    ]);
    const createdFrom = (operation('GET', '/v1/captures')['parameters'] as Json[]).find((p) => p['name'] === 'createdFrom');
    expect(createdFrom?.['schema'].format).toBe('date-time');
    expect(schemas['CaptureList'].properties.data.items).toEqual({ $ref: '#/components/schemas/Capture' });
    expect(schemas['CaptureList'].properties.nextCursor.type).toEqual(['string', 'null']);
  });

  it('lists every stable error code in the ErrorCode enum and names each with its HTTP status', () => {
    expect(schemas['ErrorCode'].enum).toEqual(ERROR_CODES);
    for (const code of ERROR_CODES) expect(schemas['ErrorCode'].description).toContain(`| \`${code}\` | ${ERROR_HTTP_STATUS[code]} |`);
    const error = schemas['Error'];
    expect(error.required).toEqual(['error', 'requestId']);
    expect(error.properties.error.properties.code).toEqual({ $ref: '#/components/schemas/ErrorCode' });
    expect(Object.keys(error.properties.error.properties)).toEqual(['code', 'message', 'param', 'provider']);
  });

  it('gives every /v1 operation a client-error response carrying the Error shape', () => {
    for (const route of DOCUMENTED_ROUTES.filter((r) => r.path.startsWith('/v1/'))) {
      const statuses = Object.keys(operation(route.method, route.path)['responses']).filter((s) => s.startsWith('4'));
      expect({ route: route.path, statuses }).toEqual({ route: route.path, statuses: expect.arrayContaining([expect.any(String)]) });
      const first = operation(route.method, route.path)['responses'][statuses[0]];
      expect(first.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    }
  });

  it('asks for a bearer token on /v1 routes except webhooks, and on nothing else', () => {
    expect((doc.components as Json)['securitySchemes'].bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const route of DOCUMENTED_ROUTES) {
      const wantsBearer = route.path.startsWith('/v1/') && !route.path.startsWith('/v1/webhooks/');
      expect({ route: route.path, security: operation(route.method, route.path)['security'] }).toEqual({
        route: route.path,
        security: wantsBearer ? [{ bearerAuth: [] }] : [],
      });
    }
  });

  it("documents each loaded plugin's provider options, as a client sends them", () => {
    expect(schemas['ProviderOptions_fakefees'].properties.settlementFee).toMatchObject({ type: 'integer', minimum: 0, default: 0 });
    // Input shape: a field with a default is optional for the caller.
    expect(schemas['ProviderOptions_fakefees'].required ?? []).not.toContain('settlementFee');
    expect(schemas['ProviderOptions_fake-split'].required).toEqual(['splitTo']);
    const providerOptions = schemas['CaptureRequest'].properties.providerOptions;
    expect(providerOptions.anyOf).toEqual([
      { $ref: '#/components/schemas/ProviderOptions_fakefees' },
      { $ref: '#/components/schemas/ProviderOptions_fake-split' },
    ]);
    expect(providerOptions.description).toContain('`fakefees` (Fake Fees)');
  });

  it('still accepts any object under providerOptions when no plugin has options', () => {
    const bare = buildOpenApiDocument({ plugins: [], version: '0.0.0' });
    const request = ((bare.components as Json)['schemas'] as Json)['CaptureRequest'];
    expect(request.properties.providerOptions).toMatchObject({ type: 'object' });
  });

  it('documents the events pushed to subscriptions in the OpenAPI 3.1 webhooks section', () => {
    const webhooks = doc['webhooks'] as Record<string, Json>;
    expect(Object.keys(webhooks).sort()).toEqual(['capture.failed', 'capture.pending', 'capture.succeeded', 'capture.unknown']);
    expect(webhooks['capture.succeeded'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CaptureEvent',
    });
    expect(schemas['CaptureEvent'].properties.sequence).toBeDefined();
  });
});
