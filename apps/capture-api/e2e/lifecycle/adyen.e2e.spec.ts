import { type AdyenSandbox, type SandboxDelivery, type SandboxItem, startAdyenSandbox } from '@capture-gateway/provider-adyen/sandbox';
import {
  capture,
  getCapture,
  getHistory,
  postgresBackend,
  type ServiceProcess,
  SHOP_KEY,
  startProcess,
  writeConfig,
} from '@capture-gateway/e2e-support';

const ACCEPTED = { status: 200, contentType: 'text/plain; charset=utf-8', body: '[accepted]' };

// The Adyen plugin, loaded by its workspace name, against its sandbox, through the service on
// PostgreSQL: captures answered "received" and settled by the sandbox's signed notification batches.
describe('Adyen through the service', () => {
  let sandbox: AdyenSandbox;
  let service: ServiceProcess;
  let destroy: () => Promise<void>;
  const stamp = Date.now();

  beforeAll(async () => {
    sandbox = await startAdyenSandbox({ batchMs: 50 });
    const db = await postgresBackend.create();
    destroy = db.destroy;
    const configPath = writeConfig({
      database: db.database,
      plugins: [{ module: '@capture-gateway/provider-adyen' }],
      accounts: [
        {
          id: 'adyen-eu',
          plugin: 'adyen',
          timeoutMs: 1_000,
          pendingCheckAfterSeconds: 60,
          settings: {
            baseUrl: sandbox.baseUrl,
            apiKey: { env: 'ADYEN_API_KEY' },
            merchantAccount: sandbox.accountSettings.merchantAccount,
            hmacKey: { env: 'ADYEN_HMAC_KEY' },
          },
        },
      ],
      clients: [{ id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: ['adyen-eu'] }],
    });
    service = await startProcess(configPath, {
      ADYEN_API_KEY: sandbox.accountSettings.apiKey,
      ADYEN_HMAC_KEY: sandbox.accountSettings.hmacKey,
      SHOP_API_KEY: SHOP_KEY,
    });
    sandbox.setWebhookTarget(`${service.url}/v1/webhooks/adyen-eu`);
  });

  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    await destroy?.();
  });

  const read = async (id: string) => (await getCapture(service.url, id)).body;
  const history = async (id: string) =>
    (await getHistory(service.url, id)).body.data.map((h) =>
      h.kind === 'flag' ? `flag:${h.reason}:${h.reportedStatus}` : `${h.to}:${h.source}`,
    );
  async function settles(id: string, to: string, withinMs = 10_000) {
    const until = Date.now() + withinMs;
    for (;;) {
      const record = await read(id);
      if (record.status === to) return record;
      if (Date.now() > until) throw new Error(`capture ${id} is still ${record.status}, not ${to}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  /** The batches sent about a capture (by our capture id), once `count` of them were answered. */
  async function deliveriesOf(captureId: string, count = 1, withinMs = 5_000): Promise<SandboxDelivery[]> {
    const until = Date.now() + withinMs;
    for (;;) {
      const found = sandbox.notificationsSent().filter((d) => d.items.some((i) => i.merchantReference === captureId));
      if (found.length >= count) return found;
      if (Date.now() > until) throw new Error(`${found.length} of ${count} notification batches about ${captureId} were sent`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }
  const pendingCapture = async (authorisationId: string, amount = 1_500) => {
    const created = await capture(service.url, { account: 'adyen-eu', authorisationId, amount: { amount, currency: 'EUR' } });
    expect(created).toMatchObject({ status: 202, body: { status: 'pending', provider: 'adyen' } });
    return created.body as { id: string; providerReferences: { captureId: string } };
  };
  /** A signed item of a batch the sandbox sent, as `sendNotifications` takes it. */
  const itemOf = (delivery: SandboxDelivery, index: number): SandboxItem => {
    const { NotificationRequestItem: item } = JSON.parse(delivery.rawBody).notificationItems[index];
    const { additionalData: _signature, eventDate: _date, paymentMethod: _method, ...fields } = item;
    return fields as SandboxItem;
  };

  test('a capture is 202 pending, then succeeded by a signed CAPTURE; the sandbox saw [accepted], and a redelivery changes nothing', async () => {
    const created = await pendingCapture(`883551121${stamp}`.slice(0, 16));
    const settled = await settles(created.id, 'succeeded');
    expect(settled).toMatchObject({
      capturedAmount: { amount: 1_500, currency: 'EUR' },
      providerReferences: { captureId: created.providerReferences.captureId },
    });
    const [delivery] = await deliveriesOf(created.id);
    expect(delivery).toMatchObject({ ...ACCEPTED, items: [{ eventCode: 'CAPTURE', success: 'true' }] });
    expect(await history(created.id)).toEqual(['unknown:api', 'pending:api', 'succeeded:webhook']);

    // Adyen sends a delivery again when it did not hear [accepted]: the same answer, nothing moves.
    const again = delivery && (await sandbox.sendNotifications([itemOf(delivery, 0)]));
    expect(again).toMatchObject(ACCEPTED);
    expect(await history(created.id)).toEqual(['unknown:api', 'pending:api', 'succeeded:webhook']);
  });

  test('a CAPTURE with success "false" fails the capture with Adyen’s reason', async () => {
    const created = await pendingCapture(`decline-${stamp}`);
    const failed = await settles(created.id, 'failed');
    expect(failed.error).toMatchObject({ code: 'provider_declined', provider: { code: 'CAPTURE', message: 'Refused' } });
    expect(await deliveriesOf(created.id)).toMatchObject([ACCEPTED]);
  });

  test('a tampered item is refused with 401 and changes nothing', async () => {
    const created = await pendingCapture(`tampered-${stamp}`);
    const [delivery] = await deliveriesOf(created.id);
    expect(delivery).toMatchObject({ status: 401, items: [{ tampered: true }] });
    expect(delivery?.body).not.toContain('[accepted]');
    expect((await read(created.id)).status).toBe('pending');
    expect(await history(created.id)).toEqual(['unknown:api', 'pending:api']);
  });

  test('a batch with one genuine and one tampered item is refused whole; once sent untampered, the genuine one settles', async () => {
    sandbox.holdNotifications();
    const good = await pendingCapture(`pair-${stamp}`, 700);
    const forged = await pendingCapture(`tampered-pair-${stamp}`, 800);
    const batch = await sandbox.flushNotifications();
    expect(batch?.items.map((i) => [i.merchantReference, i.tampered])).toEqual([
      [good.id, false],
      [forged.id, true],
    ]);
    expect(batch?.status).toBe(401);
    expect([(await read(good.id)).status, (await read(forged.id)).status]).toEqual(['pending', 'pending']);

    // Adyen retries the delivery; sent without the tampering, it is accepted and applied.
    const retried = batch && (await sandbox.sendNotifications([itemOf(batch, 0)]));
    expect(retried).toMatchObject(ACCEPTED);
    expect(await settles(good.id, 'succeeded')).toMatchObject({ capturedAmount: { amount: 700, currency: 'EUR' } });
    expect((await read(forged.id)).status).toBe('pending');
  });

  test('a CAPTURE_FAILED after its CAPTURE is not applied over the success: the capture is flagged for an operator', async () => {
    const created = await pendingCapture(`capturefailed-${stamp}`);
    await settles(created.id, 'succeeded');
    const deliveries = await deliveriesOf(created.id, 2);
    expect(deliveries.map((d) => [d.items[0]?.eventCode, d.status, d.body])).toEqual([
      ['CAPTURE', 200, '[accepted]'],
      ['CAPTURE_FAILED', 200, '[accepted]'],
    ]);
    expect(await read(created.id)).toMatchObject({ status: 'succeeded' });
    expect(await history(created.id)).toEqual(['unknown:api', 'pending:api', 'succeeded:webhook', 'flag:contradicted:failed']);
  });
});
