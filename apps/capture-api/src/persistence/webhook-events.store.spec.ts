import { change, record, storageBackends, storageFor } from './testing/storage-backends';

describe.each(storageBackends)('webhook events on $name', ({ open }) => {
  const storage = storageFor(open);

  test('an event applies once; a redelivery changes nothing, not even updatedAt', async () => {
    const r = record('w1');
    await storage().captures.insert({ nextCheckAt: null, record: r, clientId: 'c', singleCapture: true });
    const event = {
      account: r.account,
      eventId: 'evt-1',
      captureId: r.id,
      outcome: { status: 'pending' as const, references: {} },
      change: change('webhook'),
    };
    expect(await storage().webhookEvents.apply(event)).toMatchObject({
      duplicate: false,
      before: 'unknown',
      record: { status: 'pending' },
    });
    const afterFirst = await storage().captures.findById(r.id);
    await new Promise((done) => setTimeout(done, 5));
    expect(await storage().webhookEvents.apply({ ...event, outcome: { status: 'succeeded', references: { captureId: 'x' } } })).toEqual({
      duplicate: true,
    });
    expect(await storage().captures.findById(r.id)).toEqual(afterFirst);
    // The same event id on another account is another event.
    const other = record('w1', 'acc2');
    await storage().captures.insert({ nextCheckAt: null, record: other, clientId: 'c', singleCapture: true });
    expect(
      await storage().webhookEvents.apply({ ...event, account: 'acc2', captureId: other.id, change: change('webhook') }),
    ).toMatchObject({
      duplicate: false,
    });
  });
  test('an event asking for another status than the final one changes nothing and stays in the history', async () => {
    const r = record('w2');
    await storage().captures.insert({ record: r, clientId: 'c', singleCapture: true, nextCheckAt: null });
    await storage().captures.applyOutcome(r.id, { status: 'succeeded', references: {} }, change('api'));
    const result = await storage().webhookEvents.apply({
      account: r.account,
      eventId: 'evt-late-fail',
      captureId: r.id,
      outcome: { status: 'failed', error: { code: 'provider_declined', message: 'no' }, references: {} },
      change: change('webhook'),
    });
    expect(result).toMatchObject({ duplicate: false, contradicts: true, before: 'succeeded', record: { status: 'succeeded' } });
    expect((await storage().captures.history(r.id)).at(-1)).toEqual({
      kind: 'webhook_contradiction',
      eventId: 'evt-late-fail',
      requestedStatus: 'failed',
      at: expect.any(String),
    });
    // The same final status again is no contradiction.
    const same = await storage().webhookEvents.apply({
      account: r.account,
      eventId: 'evt-late-ok',
      captureId: r.id,
      outcome: { status: 'succeeded', references: {} },
      change: change('webhook'),
    });
    expect(same).toMatchObject({ contradicts: false });
  });
});
