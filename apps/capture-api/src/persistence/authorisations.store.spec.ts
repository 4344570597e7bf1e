import { admit, type CaptureAsk, type CaptureRecord } from '@capture-gateway/domain';
import type { NewCapture } from './captures.store';
import { answer, record, settleIn, storageBackends, storageFor } from './testing/storage-backends';

const usd = (amount: number) => ({ amount, currency: 'USD' });

describe.each(storageBackends)('partial captures of one authorisation on $name', ({ open }) => {
  const storage = storageFor(open);

  const partial = (authorisationId: string, amount: number, final: boolean, authorised = 100, key?: string) => {
    const r: CaptureRecord = {
      ...record(authorisationId, 'multi'),
      requestedAmount: usd(amount),
      ...(final ? {} : { final: false as const }),
    };
    const ask: CaptureAsk = { amount: usd(amount), final, authorisedAmount: usd(authorised) };
    const input: NewCapture = {
      record: r,
      clientId: 'c',
      singleCapture: false,
      nextCheckAt: null,
      admit: (state) => admit(state, ask),
      ...(key ? { idempotency: { key, requestHash: `h-${key}` } } : {}),
    };
    return { r, insert: () => storage().captures.insert(input) };
  };

  test('30 + 50 non-final, then 20 final on 100: admitted, captured, closed; a fourth is refused before anything is stored', async () => {
    for (const [amount, final] of [
      [30, false],
      [50, false],
      [20, true],
    ] as const) {
      const { r, insert } = partial('p1', amount, final);
      expect(await insert()).toEqual({ inserted: true });
      await settleIn(storage(), r.id, answer({ status: 'succeeded', references: {} }));
    }
    const fourth = partial('p1', 1, true);
    expect(await fourth.insert()).toMatchObject({ inserted: false, refused: { code: 'authorisation_closed', param: 'authorisationId' } });
    expect(await storage().captures.findById(fourth.r.id)).toBeUndefined();
    const view = await storage().captures.authorisation('multi', 'p1');
    expect(view?.state).toMatchObject({ authorisedAmount: usd(100), closedByProvider: false });
    expect(view?.captures.map((c) => [c.requestedAmount?.amount, c.final ?? true, c.status])).toEqual([
      [30, false, 'succeeded'],
      [50, false, 'succeeded'],
      [20, true, 'succeeded'],
    ]);
    expect(await storage().captures.authorisation('multi', 'nothing-here')).toBeUndefined();
  });

  test('past the authorised amount is refused; a failed capture gives its share back; a refused key stays claimed', async () => {
    const first = partial('p2', 70, false);
    await first.insert();
    expect(await partial('p2', 40, false, 100, 'k-over').insert()).toMatchObject({
      inserted: false,
      refused: { code: 'amount_exceeds_authorisation', param: 'amount.amount' },
    });
    expect(await storage().idempotencyKeys.entry('c', 'k-over')).toMatchObject({ state: 'in_progress' });
    await settleIn(
      storage(),
      first.r.id,
      answer({ status: 'failed', error: { code: 'provider_declined', message: 'no' }, references: {} }),
    );
    expect(await partial('p2', 40, false).insert()).toEqual({ inserted: true });
  });

  test('concurrent partial captures never take the authorisation past its amount', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => partial('p3', 30, false).insert()));
    expect(results.filter((r) => r.inserted)).toHaveLength(3);
    expect(results.filter((r) => 'refused' in r)).toHaveLength(5);
  });

  test('a provider that reports the authorisation closed closes it', async () => {
    const { r, insert } = partial('p4', 10, false);
    await insert();
    await settleIn(storage(), r.id, answer({ status: 'succeeded', references: {}, authorisationClosed: true }));
    expect((await storage().captures.authorisation('multi', 'p4'))?.state.closedByProvider).toBe(true);
    expect(await partial('p4', 10, false).insert()).toMatchObject({ inserted: false, refused: { code: 'authorisation_closed' } });
  });

  test('a retry of a refused key finds the key taken, not a second judgement', async () => {
    await partial('p5', 100, true).insert();
    expect(await partial('p5', 10, false, 100, 'k-retry').insert()).toMatchObject({ refused: { code: 'authorisation_closed' } });
    expect(await partial('p5', 10, false, 100, 'k-retry').insert()).toMatchObject({ inserted: false, keyTaken: { state: 'in_progress' } });
  });
});
