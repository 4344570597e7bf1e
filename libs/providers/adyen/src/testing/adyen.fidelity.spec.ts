import { startSandboxServer } from '@capture-gateway/plugin-sdk/testing';
import { AdyenCaptureAnswerSchema, AdyenNotificationItemSchema, AdyenServiceErrorSchema } from '../lib/adyen.schemas';
import { type AdyenSandbox, SANDBOX_MERCHANT_ACCOUNT, startAdyenSandbox } from '../sandbox';
import {
  type Json,
  captureFailedNotification,
  captureNotification,
  captureRequest,
  captureResponse,
  checkout,
  documentedStatuses,
  problems,
  responseSchemaFor,
  webhooks,
} from './adyen.openapi';

// Our sandbox's answers and notifications, and our schemas, held to Adyen's own OpenAPI documents.
// The committed pact is held to them in the pact-verify target (adyen.pact-openapi.pact-verify.spec.ts).

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
    expect(documentedStatuses).toContain(answer.status);
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
