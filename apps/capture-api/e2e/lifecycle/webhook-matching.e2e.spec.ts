import {
  capture,
  defined,
  getCapture,
  MULTI_WEBHOOK_SECRET,
  type MultiCaptureServices,
  type ServiceProcess,
  signFakeWebhook,
  startMultiCaptureServices,
  usd,
} from '@capture-gateway/e2e-support';

// A provider that captures one authorisation several times and names the exact capture in its
// webhooks: the update settles that capture, and one whose references contradict is refused.
describe('webhooks naming the exact capture', () => {
  let running: MultiCaptureServices;
  let service: ServiceProcess;
  let n = 0;

  beforeAll(async () => {
    running = await startMultiCaptureServices(1, ['multi-us', 'multi-eu']);
    service = defined(running.services[0], 'the service process');
  });

  afterAll(() => running?.close());

  // Not final, so that a second capture of the same authorisation is admitted.
  const pendingCapture = async (authorisationId: string, account = 'multi-us') => {
    const request = { account, authorisationId, amount: usd(500), final: false };
    const created = await capture(service.url, request, `key-${n++}-${Date.now()}`);
    expect(created).toMatchObject({ status: 202, body: { status: 'pending' } });
    return created.body as { id: string; providerReferences: { captureId: string } };
  };

  const deliver = (events: unknown[], account = 'multi-us') => {
    const rawBody = JSON.stringify({ events });
    return fetch(`${service.url}/v1/webhooks/${account}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fake-signature': signFakeWebhook(MULTI_WEBHOOK_SECRET, rawBody) },
      body: rawBody,
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  };

  const statusOf = async (id: string) => (await getCapture(service.url, id)).body.status;

  test("an update naming the provider's reference settles that capture, not the authorisation's latest", async () => {
    const auth = `pending-ref-${Date.now()}`;
    const first = await pendingCapture(auth);
    const second = await pendingCapture(auth);
    const reply = await deliver([
      { id: `evt-${auth}`, authorisation: auth, reference: first.providerReferences.captureId, status: 'captured' },
    ]);
    expect(reply).toEqual({ status: 200, body: { received: true, updates: 1, refused: 0 } });
    expect(await statusOf(first.id)).toBe('succeeded');
    expect(await statusOf(second.id)).toBe('pending');
  });

  test('an update naming our capture id settles exactly that capture', async () => {
    const auth = `pending-ours-${Date.now()}`;
    const first = await pendingCapture(auth);
    const second = await pendingCapture(auth);
    const reply = await deliver([{ id: `evt-${auth}`, authorisation: auth, capture: first.id, status: 'declined' }]);
    expect(reply.body).toMatchObject({ updates: 1, refused: 0 });
    expect(await statusOf(first.id)).toBe('failed');
    expect(await statusOf(second.id)).toBe('pending');
  });

  test("an update naming one capture with another capture's reference is refused and changes nothing", async () => {
    const auth = `pending-contra-${Date.now()}`;
    const first = await pendingCapture(auth);
    const second = await pendingCapture(auth);
    const contradicting = {
      id: `evt-${auth}-1`,
      authorisation: auth,
      capture: first.id,
      reference: second.providerReferences.captureId,
      status: 'captured',
    };
    const otherAuthorisation = { id: `evt-${auth}-2`, authorisation: `${auth}-elsewhere`, capture: second.id, status: 'captured' };
    const unknownReference = { id: `evt-${auth}-3`, authorisation: auth, reference: 'fk_no_such_capture', status: 'captured' };
    const reply = await deliver([contradicting, otherAuthorisation, unknownReference]);
    expect(reply).toEqual({ status: 200, body: { received: true, updates: 3, refused: 3 } });
    expect(await statusOf(first.id)).toBe('pending');
    expect(await statusOf(second.id)).toBe('pending');
    // Another account's capture cannot be reached by naming its id.
    const elsewhere = await pendingCapture(`pending-eu-${Date.now()}`, 'multi-eu');
    expect(
      (await deliver([{ id: `evt-${auth}-4`, authorisation: `pending-eu-x`, capture: elsewhere.id, status: 'captured' }])).body,
    ).toMatchObject({
      refused: 1,
    });
    expect(await statusOf(elsewhere.id)).toBe('pending');
    const metrics = await fetch(`${service.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/capture_webhook_updates_refused_total\{account="multi-us",provider="fake-multi"\} 4/);
  });
});
