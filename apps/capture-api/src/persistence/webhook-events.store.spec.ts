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
});
