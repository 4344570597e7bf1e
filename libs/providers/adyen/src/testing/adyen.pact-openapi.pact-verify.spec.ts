import { readFileSync } from 'node:fs';
import { pactFilePath } from '@capture-gateway/plugin-sdk/testing';
import { type Json, captureRequest, checkout, documentedStatuses, problems, responseSchemaFor } from './adyen.openapi';

// The committed capture-gateway/adyen pact, held to Adyen's CheckoutService v71 document. In the
// pact-verify target, after the consumer tests wrote the pact, as the sandbox's verification is.
describe('the committed capture-gateway/adyen pact, against CheckoutService v71', () => {
  const pact = JSON.parse(readFileSync(pactFilePath('capture-gateway', 'adyen'), 'utf8')) as Json;
  const interactions = (pact['interactions'] as Json[]).map((i) => [i['description'] as string, i] as const);
  const apiKeyHeader = (checkout['components']['securitySchemes']['ApiKeyAuth']['name'] as string).toLowerCase();
  const idempotencyKey = checkout['components']['parameters']['Idempotency-Key'];

  it('has interactions to check', () => {
    expect(interactions.length).toBeGreaterThan(0);
  });

  it.each(interactions)('%s: the request is a PaymentCaptureRequest on the documented path, with its headers', (_, interaction) => {
    const { request } = interaction;
    expect(request.method.toLowerCase()).toBe('post');
    // The document's server is https://checkout-test.adyen.com/v71: its path is mounted under /v71.
    expect(request.path).toMatch(/^\/v71\/payments\/[^/]+\/captures$/);
    expect(problems(captureRequest, request.body.content)).toEqual([]);
    const headers = Object.fromEntries(Object.entries(request.headers as Json).map(([name, value]) => [name.toLowerCase(), value[0]]));
    expect(headers[apiKeyHeader]).toBeTruthy();
    expect(headers[idempotencyKey.name.toLowerCase()].length).toBeLessThanOrEqual(64);
  });

  it.each(interactions)('%s: the answer has a documented status and body', (_, interaction) => {
    const { response } = interaction;
    expect(documentedStatuses).toContain(response.status);
    expect(problems(responseSchemaFor(response.status), response.body.content)).toEqual([]);
  });
});
