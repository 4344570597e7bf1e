import type { ApiErrorBody } from '@capture-gateway/client';
import {
  BACKENDS,
  call,
  capture,
  type DatabaseSettings,
  type EventPage,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  OTHER_KEY,
  type ServiceProcess,
  startFakeSandbox,
  startProcess,
  storedRowsText,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';

// `events: subscriptions` on a client: its events are written only when a subscription takes them
// (it has none here), so a capture writes no event row, and GET /v1/events says so rather than
// answering a list that would be silently short. The other client, by default, polls as before.
describe.each(BACKENDS)('a client whose events nobody polls, on $name', (backend) => {
  let sandbox: FakeSandbox;
  let service: ServiceProcess;
  let database: DatabaseSettings;
  let destroy: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await startFakeSandbox();
    const db = await backend.create();
    destroy = db.destroy;
    database = db.database;
    const config = fakeConfig(db.database);
    const clients = config.clients.map((client) => (client.id === 'shop' ? { ...client, events: 'subscriptions' } : client));
    service = await startProcess(writeConfig({ ...config, clients }), fakeEnv(sandbox));
  });

  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    await destroy?.();
  });

  test('its capture writes no event and GET /v1/events answers 409 events_not_kept; a polling client sees its events', async () => {
    const quiet = await capture(service.url, {
      account: 'fake-us',
      authorisationId: `quiet-${backend.name}-${Date.now()}`,
      amount: usd(100),
    });
    expect(quiet.status).toBe(201);
    const refused = await call<ApiErrorBody>(service.url, 'GET', '/v1/events');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'events_not_kept', param: 'events' } });

    const polled = await capture(
      service.url,
      { account: 'fake-eu', authorisationId: `polled-${backend.name}-${Date.now()}`, amount: usd(100) },
      undefined,
      OTHER_KEY,
    );
    expect(polled.status).toBe(201);
    const listed = await call<EventPage>(service.url, 'GET', '/v1/events', { key: OTHER_KEY });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ type: 'capture.succeeded', data: expect.objectContaining({ capture: polled.body }) }),
    ]);

    await service.close(); // the embedded database is readable once the service stopped
    const events = await storedRowsText(database, 'capture_events');
    expect(events).toContain(polled.body.id);
    expect(events).not.toContain(quiet.body.id);
  });
});
