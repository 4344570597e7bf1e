import { answer, declined, record, settleIn, storageBackends, storageFor, webhookIn } from './testing/storage-backends';

describe.each(storageBackends)('webhook events on $name', ({ open }) => {
  const storage = storageFor(open);

  test('an event applies once; a redelivery changes nothing, not even updatedAt', async () => {
    const r = record('w1');
    await storage().captures.insert({ nextCheckAt: null, record: r, clientId: 'c', singleCapture: true });
    expect(await webhookIn(storage(), r.account, r.id, 'evt-1', { status: 'pending', references: {} })).toMatchObject({
      duplicate: false,
      settlement: { kind: 'write', before: { record: { status: 'unknown' } }, write: { after: { record: { status: 'pending' } } } },
    });
    const afterFirst = await storage().captures.findById(r.id);
    await new Promise((done) => setTimeout(done, 5));
    expect(await webhookIn(storage(), r.account, r.id, 'evt-1', { status: 'succeeded', references: { captureId: 'x' } })).toEqual({
      duplicate: true,
    });
    expect(await storage().captures.findById(r.id)).toEqual(afterFirst);
    // The same event id on another account is another event.
    const other = record('w1', 'acc2');
    await storage().captures.insert({ nextCheckAt: null, record: other, clientId: 'c', singleCapture: true });
    expect(await webhookIn(storage(), 'acc2', other.id, 'evt-1', { status: 'pending', references: {} })).toMatchObject({
      duplicate: false,
    });
  });

  test("an event asking for another final status than the capture's changes nothing but a flag, kept in the history", async () => {
    const r = record('w2');
    await storage().captures.insert({ record: r, clientId: 'c', singleCapture: true, nextCheckAt: null });
    await settleIn(storage(), r.id, answer({ status: 'succeeded', references: {} }));
    const result = await webhookIn(storage(), r.account, r.id, 'evt-late-fail', declined);
    expect(result).toMatchObject({ duplicate: false, settlement: { raised: { reason: 'contradicted', reported: 'failed' } } });
    expect(await storage().captures.findById(r.id)).toMatchObject({ status: 'succeeded' });
    expect((await storage().captures.history(r.id)).at(-1)).toEqual({
      kind: 'flag',
      reason: 'contradicted',
      status: 'succeeded',
      reportedStatus: 'failed',
      message: 'A webhook reported failed for a capture that is succeeded; not applied',
      eventId: 'evt-late-fail',
      source: 'webhook',
      actor: 'fake',
      at: expect.any(String),
    });
    // The same final status again is no contradiction.
    const same = await webhookIn(storage(), r.account, r.id, 'evt-late-ok', { status: 'succeeded', references: {} });
    expect(same).toMatchObject({ duplicate: false, settlement: { kind: 'unchanged' } });
  });
});
