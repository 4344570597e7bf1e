import { type CaptureEvent, verifyEvent } from '@capture-gateway/client';
import {
  call,
  capture,
  defined,
  type EventDetail,
  type EventPage,
  type EventReceiver,
  type FakeSandbox,
  freePort,
  getCapture,
  MULTI_WEBHOOK_SECRET,
  multiEnv,
  multiProvider,
  OTHER_KEY,
  postgresBackend,
  type ReceivedEvent,
  type ServiceProcess,
  SHOP_KEY,
  signFakeWebhook,
  startEventReceiver,
  startFakeSandbox,
  startProcess,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';

const SHOP_SECRET = 'whsec_shop_events_0123456789';
const OTHER_SECRET = 'whsec_other_events_0123456789';

// Real processes on PostgreSQL: the service (one or two replicas), a fake provider that sends signed
// webhooks, and each product team's receiver as a process of its own.
describe('signed capture events pushed to product teams (PostgreSQL)', () => {
  let sandbox: FakeSandbox;
  let shop: EventReceiver;
  let other: EventReceiver;
  let destroy: () => Promise<void>;
  let config: (delivery?: boolean) => string;
  const services: ServiceProcess[] = [];
  let n = 0;

  beforeAll(async () => {
    sandbox = await startFakeSandbox();
    [shop, other] = await Promise.all([startEventReceiver(await freePort()), startEventReceiver(await freePort())]);
    const db = await postgresBackend.create();
    destroy = db.destroy;
    config = (delivery = true) =>
      writeConfig({
        database: db.database,
        ...multiProvider(),
        clients: [
          {
            id: 'shop',
            apiKey: { env: 'SHOP_API_KEY' },
            accounts: ['multi-us'],
            subscriptions: [{ id: 'orders', url: `${shop.url}/capture-events`, secrets: [{ env: 'SHOP_SECRET' }] }],
          },
          {
            id: 'other',
            apiKey: { env: 'OTHER_API_KEY' },
            accounts: ['multi-eu'],
            subscriptions: [{ id: 'main', url: `${other.url}/events`, secrets: [{ env: 'OTHER_SECRET' }] }],
          },
        ],
        events: {
          delivery: {
            enabled: delivery,
            intervalMs: 100,
            timeoutMs: 2_000,
            initialBackoffSeconds: 0.2,
            maxBackoffSeconds: 1,
            retryForHours: 1,
          },
        },
      });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
    await Promise.all([shop?.stop(), other?.stop()]);
    await sandbox?.close();
    await destroy?.();
  });

  const start = async (delivery = true) => {
    const service = await startProcess(config(delivery), {
      ...multiEnv(sandbox),
      SHOP_API_KEY: SHOP_KEY,
      OTHER_API_KEY: OTHER_KEY,
      SHOP_SECRET,
      OTHER_SECRET,
    });
    services.push(service);
    return service;
  };
  const auth = (prefix: string) => `${prefix}-${Date.now()}-${n++}`;

  /** The receiver's events, each verified with the client's helper (a forged one would throw). */
  const verified = async (receiver: EventReceiver, secret: string): Promise<CaptureEvent[]> =>
    (await receiver.received()).map((r: ReceivedEvent) => verifyEvent(r.body, r.headers['capture-signature'], secret));
  async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, withinMs = 20_000): Promise<T> {
    const until = Date.now() + withinMs;
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() > until) throw new Error(`not reached in ${withinMs} ms: ${JSON.stringify(value).slice(0, 500)}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  const ofCapture = (events: CaptureEvent[], id: string) => events.filter((e) => e.data.capture.id === id);

  test("a pending capture settled by the provider's webhook: signed events the receiver verifies, in sequence", async () => {
    const service = await start();
    const authorisationId = auth('pending');
    const created = await capture(service.url, { account: 'multi-us', authorisationId, amount: usd(700) });
    expect(created.body.status).toBe('pending');
    const rawBody = JSON.stringify({
      events: [{ id: `evt-${authorisationId}`, authorisation: authorisationId, capture: created.body.id, status: 'captured' }],
    });
    const webhook = await fetch(`${service.url}/v1/webhooks/multi-us`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fake-signature': signFakeWebhook(MULTI_WEBHOOK_SECRET, rawBody) },
      body: rawBody,
    });
    expect(webhook.status).toBe(200);
    const events = await eventually(
      () => verified(shop, SHOP_SECRET),
      (all) => ofCapture(all, created.body.id).length === 2,
    );
    const mine = ofCapture(events, created.body.id);
    expect(mine.map((e) => [e.type, e.sequence, e.data.previousStatus ?? '-', e.data.source])).toEqual([
      ['capture.pending', 1, '-', 'api'],
      ['capture.succeeded', 2, 'pending', 'webhook'],
    ]);
    const succeeded = defined(mine[1], 'a capture.succeeded event');
    expect(succeeded.data.capture).toEqual((await getCapture(service.url, created.body.id)).body);
    const received = defined(
      (await shop.received()).find((r) => r.body.includes(succeeded.id)),
      'the delivery of the succeeded event',
    );
    expect(received.headers['capture-event-id']).toBe(succeeded.id);
    expect(received.path).toBe('/capture-events');
    expect(() =>
      verifyEvent(received.body.replace('"succeeded"', '"failed"'), received.headers['capture-signature'], SHOP_SECRET),
    ).toThrow();
    // The same events, listed by the API for catch-up.
    const listed = await call<EventPage>(service.url, 'GET', `/v1/events?captureId=${created.body.id}`);
    expect(listed.body.data.map((e) => e.id)).toEqual(mine.map((e) => e.id));
  });

  test('a receiver down for a while gets every event once it is back', async () => {
    const service = services[0] ?? (await start());
    await shop.stop();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await capture(service.url, { account: 'multi-us', authorisationId: auth('down'), amount: usd(100 + i) })).body.id);
    await new Promise((done) => setTimeout(done, 1_500)); // attempts fail meanwhile, and back off
    shop = await startEventReceiver(shop.port);
    const events = await eventually(
      () => verified(shop, SHOP_SECRET),
      (all) => ids.every((id) => ofCapture(all, id).length === 1),
    );
    expect(ids.flatMap((id) => ofCapture(events, id).map((e) => e.type))).toEqual([
      'capture.succeeded',
      'capture.succeeded',
      'capture.succeeded',
    ]);
    const eventId = defined(ofCapture(events, defined(ids[0], 'a capture'))[0], 'an event of the first capture').id;
    const detail = await call<EventDetail>(service.url, 'GET', `/v1/events/${eventId}`);
    expect(detail.body.deliveries).toEqual([
      expect.objectContaining({ subscriptionId: 'shop/orders', state: 'delivered', lastStatus: 200 }),
    ]);
    expect(defined(detail.body.deliveries[0], 'the delivery').attempts).toBeGreaterThan(1);
  });

  test('a service killed with SIGKILL between the status change and the delivery delivers the event after restart', async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
    const silent = await start(false); // delivers nothing: the event waits in the outbox
    const created = await capture(silent.url, { account: 'multi-us', authorisationId: auth('kill'), amount: usd(4200) });
    expect(created.status).toBe(201);
    silent.child.kill('SIGKILL');
    await silent.exited;
    services.splice(services.indexOf(silent), 1);
    expect(ofCapture(await verified(shop, SHOP_SECRET), created.body.id)).toEqual([]);
    await start();
    const events = await eventually(
      () => verified(shop, SHOP_SECRET),
      (all) => ofCapture(all, created.body.id).length === 1,
    );
    expect(ofCapture(events, created.body.id)[0]).toMatchObject({ type: 'capture.succeeded', sequence: 1 });
  });

  test('two replicas deliver a burst with none lost and none twice', async () => {
    const first = services[0] ?? (await start());
    const second = await start();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const created = await capture((i % 2 ? second : first).url, {
        account: 'multi-us',
        authorisationId: auth('burst'),
        amount: usd(10 + i),
      });
      ids.push(created.body.id);
    }
    const events = await eventually(
      () => verified(shop, SHOP_SECRET),
      (all) => ids.every((id) => ofCapture(all, id).length >= 1),
    );
    await new Promise((done) => setTimeout(done, 500)); // room for a duplicate to show up, if any were sent
    const again = await verified(shop, SHOP_SECRET);
    for (const id of ids) expect(ofCapture(again, id)).toHaveLength(1);
    expect(events.length).toBeGreaterThan(0);
  });

  test("a client cannot list, read, redeliver or receive another client's events", async () => {
    const service = services[0] ?? (await start());
    const mine = await capture(service.url, { account: 'multi-us', authorisationId: auth('iso'), amount: usd(55) });
    const theirs = await capture(service.url, { account: 'multi-eu', authorisationId: auth('iso'), amount: usd(66) }, undefined, OTHER_KEY);
    const shopEvents = await eventually(
      () => verified(shop, SHOP_SECRET),
      (all) => ofCapture(all, mine.body.id).length === 1,
    );
    await eventually(
      () => verified(other, OTHER_SECRET),
      (all) => ofCapture(all, theirs.body.id).length === 1,
    );
    const eventId = defined(ofCapture(shopEvents, mine.body.id)[0], 'an event of the shop capture').id;
    const listed = await call<EventPage>(service.url, 'GET', '/v1/events?limit=100', { key: OTHER_KEY });
    expect(listed.body.data.every((e) => e.data.capture.account === 'multi-eu')).toBe(true);
    expect((await call(service.url, 'GET', `/v1/events/${eventId}`, { key: OTHER_KEY })).status).toBe(404);
    expect((await call(service.url, 'POST', `/v1/events/${eventId}/redeliver`, { key: OTHER_KEY })).status).toBe(404);
    // No shop event ever reached the other client's endpoint (it verifies only with its own secret).
    const otherReceived = await verified(other, OTHER_SECRET);
    expect(otherReceived.every((e) => e.data.capture.account === 'multi-eu')).toBe(true);
    // The owner may redeliver: the same event, same id, again.
    expect(await call(service.url, 'POST', `/v1/events/${eventId}/redeliver`)).toMatchObject({ status: 202, body: { redelivered: 1 } });
    await eventually(
      () => verified(shop, SHOP_SECRET),
      (all) => all.filter((e) => e.id === eventId).length === 2,
    );
  });
});
