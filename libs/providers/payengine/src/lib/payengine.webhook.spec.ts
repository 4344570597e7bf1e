import { type WebhookDelivery, WebhookRejectedError, secretValues, webhookHandlingOf, withoutSecrets } from '@capture-gateway/plugin-sdk';
import { createMemoryLogger } from '@capture-gateway/plugin-sdk/testing';
import { signPayEngineWebhook } from '../sandbox';
import { payEnginePlugin } from './payengine.plugin';

const WEBHOOK_SECRET = 'whsec_unit_test_secret';
const SECRET_KEY = 'sk_unit_test_secret';
const NOW = new Date('2025-04-02T18:26:40Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);

// The docs' example delivery, trimmed of the receipts.
const docsExample = (status = 'PASS', extra: Record<string, unknown> = {}) => ({
  event_uid: 'df146813e8523c1cd5afbda038486120',
  event: 'PAYMENT_CAPTURED',
  data: {
    metadata: { email: 'customer@example.com', customer_id: '123' },
    payment_id: '2a0e8a3b-7703-4d31-a8cd-c714fed4dedf',
    transaction_id: 'ca8c6e03-1699-4528-bb0c-5894e87ecf47',
    capture_response: {
      status,
      task_id: '95103204',
      auth_code: '323072',
      card_type: 'visa',
      response_code: status === 'PASS' ? 'A0000' : 'D0005',
      response_message: status === 'PASS' ? 'Success' : 'Do not honor',
      transaction_id: '67868150',
      processed_amount: '1.00',
      masked_card_number: '1111',
      host_reference_number: '325806055923',
      ...extra,
    },
  },
});

function provider(config: Record<string, unknown> = {}) {
  const parsed = payEnginePlugin.configSchema.parse({
    baseUrl: 'http://127.0.0.1:9',
    secretKey: SECRET_KEY,
    webhookSecret: WEBHOOK_SECRET,
    ...config,
  });
  const created = payEnginePlugin.create(parsed, { accountId: 'acct', logger: createMemoryLogger(), timeoutMs: 1000 });
  const handle = created.handleWebhook?.bind(created);
  if (!handle) throw new Error('the PayEngine plugin must handle webhooks');
  // The updates, whichever shape the plugin answers in (contract 1.5.0 allows `{ updates, acknowledge }`).
  return async (d: WebhookDelivery) => webhookHandlingOf(await handle(d)).updates;
}

function delivery(
  body: unknown,
  options: { secret?: string; signedAt?: number; receivedAt?: Date; header?: string | string[] } = {},
): WebhookDelivery {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const header = options.header ?? signPayEngineWebhook(raw, options.secret ?? WEBHOOK_SECRET, options.signedAt ?? NOW_S);
  return {
    headers: { 'content-type': 'application/json', 'x-payengine-signature': header },
    rawBody: Buffer.from(raw),
    receivedAt: options.receivedAt ?? NOW,
  };
}

async function rejection(promise: Promise<unknown>): Promise<WebhookRejectedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WebhookRejectedError)) throw new Error(`expected a WebhookRejectedError, got ${String(error)}`);
  expect(error.message).not.toContain(WEBHOOK_SECRET);
  expect(error.message).not.toContain(SECRET_KEY);
  return error;
}

describe('PayEngine PAYMENT_CAPTURED webhooks', () => {
  it('turns a signed PASS delivery into a succeeded update keyed by payment_id and event_uid', async () => {
    const updates = await provider()(delivery(docsExample()));
    expect(updates).toEqual([
      {
        eventId: 'df146813e8523c1cd5afbda038486120',
        authorisationId: '2a0e8a3b-7703-4d31-a8cd-c714fed4dedf',
        // The capture answer's transaction_id: the reference the pending capture stored.
        providerCaptureId: 'ca8c6e03-1699-4528-bb0c-5894e87ecf47',
        outcome: {
          status: 'succeeded',
          capturedAmount: { amount: 100, currency: 'USD' },
          references: {
            captureId: 'ca8c6e03-1699-4528-bb0c-5894e87ecf47',
            authCode: '323072',
            other: { host_reference_number: '325806055923', task_id: '95103204', processor_transaction_id: '67868150' },
          },
          card: { brand: 'visa', last4: '1111' },
        },
      },
    ]);
    expect(JSON.stringify(updates)).not.toContain(WEBHOOK_SECRET);
  });

  it("turns a FAIL delivery into a failed update with PayEngine's code and message", async () => {
    const [update] = await provider()(delivery(docsExample('FAIL')));
    expect(update?.outcome).toMatchObject({
      status: 'failed',
      error: { code: 'provider_declined', provider: { code: 'D0005', message: 'Do not honor' } },
    });
  });

  it('accepts a delivery signed per the documented scheme, independently of our signer (openssl vector)', async () => {
    const raw =
      '{"event_uid":"e1","event":"PAYMENT_CAPTURED","data":{"payment_id":"p1","capture_response":{"status":"PASS","processed_amount":"2.50","masked_card_number":"4242"}}}';
    const header = 't=1700000000,v1=9c06823941298783ec937db225a621b9e20b41a823f32c8a1dd7bb5661ea1d6c';
    const handle = provider({ webhookSecret: 'whsec_vector' });
    const [update] = await handle(delivery(raw, { header, receivedAt: new Date(1_700_000_010_000) }));
    expect(update).toMatchObject({
      eventId: 'e1',
      authorisationId: 'p1',
      outcome: { status: 'succeeded', capturedAmount: { amount: 250 } },
    });
  });

  it('refuses a forged delivery (signed with another secret)', async () => {
    const error = await rejection(provider()(delivery(docsExample(), { secret: 'whsec_attacker' })));
    expect(error.reason).toBe('bad_signature');
  });

  it('refuses a body changed after signing', async () => {
    const signed = delivery(docsExample());
    const tampered = Buffer.from(signed.rawBody.toString().replace('"1.00"', '"1000.00"'));
    const error = await rejection(provider()({ ...signed, rawBody: tampered }));
    expect(error.reason).toBe('bad_signature');
  });

  it('refuses a delivery without a signature, or with one not in the scheme', async () => {
    const unsigned = { ...delivery(docsExample()), headers: { 'content-type': 'application/json' } };
    expect((await rejection(provider()(unsigned))).reason).toBe('missing_signature');
    expect((await rejection(provider()(delivery(docsExample(), { header: 'sha256=abc' })))).reason).toBe('bad_signature');
  });

  it('refuses a replayed delivery once it is older than the tolerance, and one from the future', async () => {
    const handle = provider();
    const replay = (receivedAt: Date) => handle(delivery(docsExample(), { signedAt: NOW_S, receivedAt }));
    await expect(replay(new Date(NOW.getTime() + 299_000))).resolves.toHaveLength(1);
    const stale = await rejection(replay(new Date(NOW.getTime() + 301_000)));
    expect(stale.reason).toBe('stale_timestamp');
    expect((await rejection(replay(new Date(NOW.getTime() - 301_000)))).reason).toBe('stale_timestamp');
  });

  it("uses the account's webhookToleranceSeconds", async () => {
    const handle = provider({ webhookToleranceSeconds: 30 });
    const error = await rejection(handle(delivery(docsExample(), { signedAt: NOW_S - 31 })));
    expect(error.reason).toBe('stale_timestamp');
  });

  it('accepts any of several v1 signatures, so the secret can be rotated', async () => {
    const raw = JSON.stringify(docsExample());
    const good = signPayEngineWebhook(raw, WEBHOOK_SECRET, NOW_S);
    const old = signPayEngineWebhook(raw, 'whsec_retired', NOW_S).split(',')[1];
    const updates = await provider()(delivery(raw, { header: [`${good},${old}`] }));
    expect(updates).toHaveLength(1);
  });

  it('reads the header as Stripe writes its own: spaces, a v0 scheme and upper-case hex are fine; two t= are not', async () => {
    const raw = JSON.stringify(docsExample());
    const [t, v1] = signPayEngineWebhook(raw, WEBHOOK_SECRET, NOW_S).split(',');
    const v0 = `v0=${'0'.repeat(64)}`;
    await expect(provider()(delivery(raw, { header: ` ${t} , ${v0} , ${v1?.toUpperCase().replace('V1', 'v1')} ` }))).resolves.toHaveLength(
      1,
    );
    const twice = await rejection(provider()(delivery(raw, { header: `${t},t=${NOW_S + 1},${v1}` })));
    expect(twice).toMatchObject({ reason: 'bad_signature', message: 'The x-payengine-signature header has more than one t=' });
  });

  it('accepts a delivery signed with any of the webhookSecrets an account holds during a rotation, and only those', async () => {
    const NEW = 'whsec_rotated_in';
    const OLD = WEBHOOK_SECRET;
    // 1. Before: one secret. 2. During: both (deliveries in flight may carry either). 3. After: the new one only.
    const before = provider();
    const during = provider({ webhookSecret: undefined, webhookSecrets: [NEW, OLD] });
    const after = provider({ webhookSecret: undefined, webhookSecrets: [NEW] });
    const signedOld = () => delivery(docsExample(), { secret: OLD });
    const signedNew = () => delivery(docsExample(), { secret: NEW });
    await expect(before(signedOld())).resolves.toHaveLength(1);
    expect((await rejection(before(signedNew()))).reason).toBe('bad_signature');
    await expect(during(signedOld())).resolves.toHaveLength(1);
    await expect(during(signedNew())).resolves.toHaveLength(1);
    await expect(after(signedNew())).resolves.toHaveLength(1);
    const retired = await rejection(after(signedOld()));
    expect(retired.reason).toBe('bad_signature');
    expect(retired.message).not.toContain(NEW);
    // webhookSecret keeps working beside the list: both are accepted.
    const both = provider({ webhookSecret: OLD, webhookSecrets: [NEW] });
    await expect(both(signedOld())).resolves.toHaveLength(1);
    await expect(both(signedNew())).resolves.toHaveLength(1);
    expect((await rejection(both(delivery(docsExample(), { secret: 'whsec_attacker' })))).reason).toBe('bad_signature');
  });

  it('marks every webhook secret of a rotation secret, so none is logged or shown', () => {
    const config = payEnginePlugin.configSchema.parse({
      baseUrl: 'https://console.payengine.co',
      secretKey: SECRET_KEY,
      webhookSecrets: ['whsec_a1', 'whsec_b2'],
    });
    expect(secretValues(payEnginePlugin.configSchema, config)).toEqual([SECRET_KEY, 'whsec_a1', 'whsec_b2']);
    expect(JSON.stringify(withoutSecrets(payEnginePlugin.configSchema, config))).not.toMatch(/whsec_/);
    expect(payEnginePlugin.configSchema.safeParse({ ...config, webhookSecrets: [] }).success).toBe(false);
  });

  it('refuses a signed body that is not JSON or lacks the documented fields', async () => {
    expect((await rejection(provider()(delivery('not json')))).reason).toBe('malformed_body');
    const noPayment = docsExample();
    delete (noPayment.data as Partial<typeof noPayment.data>).payment_id;
    expect((await rejection(provider()(delivery(noPayment)))).reason).toBe('malformed_body');
    const badAmount = docsExample('PASS', { processed_amount: '1.005' });
    expect((await rejection(provider()(delivery(badAmount)))).reason).toBe('malformed_body');
  });

  it('refuses an event other than PAYMENT_CAPTURED', async () => {
    const error = await rejection(provider()(delivery({ ...docsExample(), event: 'PAYMENT_REFUNDED' })));
    expect(error.reason).toBe('unsupported_event');
  });

  it('refuses every delivery when the account has no webhook secret', async () => {
    const error = await rejection(provider({ webhookSecret: undefined })(delivery(docsExample())));
    expect(error.reason).toBe('bad_signature');
    expect(error.message).toContain('webhookSecret');
  });
});
