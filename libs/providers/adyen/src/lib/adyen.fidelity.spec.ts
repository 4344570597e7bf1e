import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { pactFilePath, startSandboxServer, workspaceRoot } from '@capture-gateway/plugin-sdk/testing';
import { type AdyenSandbox, SANDBOX_MERCHANT_ACCOUNT, startAdyenSandbox } from '../sandbox';
import { AdyenCaptureAnswerSchema, AdyenNotificationItemSchema, AdyenServiceErrorSchema } from './adyen.schemas';

// Our pact, our sandbox's answers and its notifications, held to Adyen's own published OpenAPI documents
// (CheckoutService v71, Webhooks v1), read from `shared/provider-specs/` beside the repository.

/** `../shared/provider-specs` from the repository root (CI clones it beside `shared/`), else from a folder above. */
function specsDir(): string {
  for (let dir = dirname(workspaceRoot()); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'provider-specs');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`No shared/provider-specs beside ${workspaceRoot()} or above it: the fidelity tests need Adyen's OpenAPI documents`);
}

// The documents are read as they are: any shape, checked by the validators below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const read = (name: string): Json => JSON.parse(readFileSync(join(specsDir(), name), 'utf8'));
const checkout = read('adyen-checkout-v71-captures.json');
const webhooks = read('adyen-webhooks-v1-capture.json');
const operation = checkout['paths']['/payments/{paymentPspReference}/captures']['post'];

// OpenAPI 3.1 schemas are JSON Schema 2020-12 with OpenAPI's own keywords (example, x-…), ignored here;
// its integer formats are checked.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 });
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
ajv.addSchema(checkout, 'checkout');
ajv.addSchema(webhooks, 'webhooks');
const schema = (doc: 'checkout' | 'webhooks', name: string): ValidateFunction => {
  const validate = ajv.getSchema(`${doc}#/components/schemas/${name}`);
  if (!validate) throw new Error(`${doc} has no schema ${name}`);
  return validate;
};
const captureRequest = schema('checkout', 'PaymentCaptureRequest');
const captureResponse = schema('checkout', 'PaymentCaptureResponse');
const serviceError = schema('checkout', 'ServiceError');
const captureNotification = schema('webhooks', 'CaptureNotificationRequest');
const captureFailedNotification = schema('webhooks', 'RefundCaptureFailedNotificationRequest');

/** The validator's complaints, or [] when the value is what the document says. */
function problems(validate: ValidateFunction, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
}
const responseSchemaFor = (status: number) => (status === 201 ? captureResponse : serviceError);

describe("Adyen's own documents, as the fidelity oracle", () => {
  it('catch what breaks them: the validators are not blind', () => {
    expect(problems(captureRequest, { merchantAccount: 'M', amount: { value: 1, currency: 'EURO' } })).not.toEqual([]);
    expect(problems(captureRequest, { merchantAccount: 'M', amount: { value: 1, currency: 'EUR' }, final: true })).not.toEqual([]);
    expect(problems(captureResponse, { status: 'received' })).not.toEqual([]);
    expect(problems(captureNotification, { notificationItems: [{ NotificationRequestItem: { eventCode: 'CAPTURE' } }] })).not.toEqual([]);
  });

  it('are read by our schemas: their examples of answers, errors and notifications parse', () => {
    const examples = checkout['components']['examples'] as Json;
    expect(AdyenCaptureAnswerSchema.safeParse(examples['post-payments-paymentPspReference-captures-capture-201'].value).success).toBe(true);
    for (const name of ['generic-400', 'generic-401', 'generic-403', 'generic-422', 'generic-500']) {
      expect(AdyenServiceErrorSchema.safeParse(examples[name].value).success).toBe(true);
    }
    for (const example of Object.values(webhooks['components']['examples'] as Json)) {
      for (const { NotificationRequestItem } of example.value.notificationItems) {
        expect(AdyenNotificationItemSchema.safeParse(NotificationRequestItem).success).toBe(true);
      }
    }
  });
});

describe('the committed capture-gateway/adyen pact, against CheckoutService v71', () => {
  const pact = JSON.parse(readFileSync(pactFilePath('capture-gateway', 'adyen'), 'utf8')) as Json;
  const interactions = (pact['interactions'] as Json[]).map((i) => [i['description'] as string, i] as const);
  const documented = Object.keys(operation.responses).map(Number);
  const idempotencyKey = checkout['components']['parameters']['Idempotency-Key'];
  const apiKeyHeader = (checkout['components']['securitySchemes']['ApiKeyAuth']['name'] as string).toLowerCase();

  it.each(interactions)('%s: the request is a PaymentCaptureRequest on the documented path, with its headers', (_, interaction) => {
    const { request } = interaction;
    expect(request.method.toLowerCase()).toBe('post');
    // The document's server is https://checkout-test.adyen.com/v71: its path is mounted under /v71.
    expect(request.path).toMatch(/^\/v71\/payments\/[^/]+\/captures$/);
    expect(problems(captureRequest, request.body.content)).toEqual([]);
    const headers = Object.fromEntries(Object.entries(request.headers as Json).map(([name, value]) => [name.toLowerCase(), value[0]]));
    expect(headers[apiKeyHeader]).toBeTruthy();
    expect(idempotencyKey.name).toBe('Idempotency-Key');
    expect(headers['idempotency-key'].length).toBeLessThanOrEqual(64);
  });

  it.each(interactions)('%s: the answer has a documented status and body', (_, interaction) => {
    const { response } = interaction;
    expect(documented).toContain(response.status);
    expect(problems(responseSchemaFor(response.status), response.body.content)).toEqual([]);
  });
});

describe('the sandbox, against the same documents', () => {
  let sandbox: AdyenSandbox;
  let endpoint: Awaited<ReturnType<typeof startSandboxServer>>;
  const bodies: unknown[] = [];

  beforeAll(async () => {
    // A webhook endpoint that keeps each batch and answers as Adyen wants.
    endpoint = await startSandboxServer((request) => {
      bodies.push(request.body);
      return { status: 200, text: '[accepted]' };
    });
    sandbox = await startAdyenSandbox({ webhookUrl: endpoint.baseUrl, batchMs: 10 });
  });
  afterAll(async () => {
    await sandbox.close();
    await endpoint.close();
  });

  const capture = async (psp: string, body: Json, { key = 'fidelity', apiKey = sandbox.accountSettings.apiKey } = {}) => {
    const response = await fetch(`${sandbox.baseUrl}/v71/payments/${psp}/captures`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json', 'idempotency-key': `${key}-${psp}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const valid = (value = 1_000, currency = 'EUR') => ({
    merchantAccount: SANDBOX_MERCHANT_ACCOUNT,
    amount: { value, currency },
    reference: 'cap_fidelity01',
  });

  it.each([
    ['a capture received', 'PAYFIDELITY00001', valid(), {}],
    ['a key Adyen refuses', 'PAYFIDELITY00002', valid(), { apiKey: 'AQE_wrong_0123456789' }],
    ['another merchant account', 'PAYFIDELITY00003', { ...valid(), merchantAccount: 'OtherECOM' }, {}],
    ['no amount', 'PAYFIDELITY00004', { merchantAccount: SANDBOX_MERCHANT_ACCOUNT }, {}],
    ['an amount that is not one', 'PAYFIDELITY00005', { ...valid(), amount: { value: 'ten', currency: 'EUR' } }, {}],
    ['an unknown payment', 'notfound-1', valid(), {}],
    ['a server error', 'error-1', valid(), {}],
  ])('answers %s with a documented status and body', async (_, psp, body, options) => {
    const answer = await capture(psp, body, options);
    expect(Object.keys(operation.responses).map(Number)).toContain(answer.status);
    expect(problems(responseSchemaFor(answer.status), answer.body)).toEqual([]);
  });

  it('sends CAPTURE (success and failure) and CAPTURE_FAILED notifications as Webhooks v1 describes them', async () => {
    sandbox.authorise('PAYFIDELITY00010', { amount: 1_000, currency: 'EUR' });
    await capture('PAYFIDELITY00010', valid(600));
    await capture('PAYFIDELITY00010', valid(600), { key: 'second' });
    await capture('capturefailed-1', valid(300));
    const ours = () =>
      (bodies as Json[])
        .flatMap((b) => b['notificationItems'] as Json[])
        .map((i) => i['NotificationRequestItem'])
        .filter((item) => ['PAYFIDELITY00010', 'capturefailed-1'].includes(item['originalReference']));
    for (let waited = 0; ours().length < 4 && waited < 3_000; waited += 10) await new Promise((done) => setTimeout(done, 10));
    expect(
      ours()
        .map((item) => `${item['eventCode']}:${item['success']}`)
        .sort(),
    ).toEqual(['CAPTURE:false', 'CAPTURE:true', 'CAPTURE:true', 'CAPTURE_FAILED:true']);
    for (const body of bodies as Json[]) {
      const failed = body['notificationItems'][0]['NotificationRequestItem']['eventCode'] === 'CAPTURE_FAILED';
      expect(problems(failed ? captureFailedNotification : captureNotification, body)).toEqual([]);
    }
  });
});
