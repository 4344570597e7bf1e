import {
  capture,
  defined,
  type FakeSandbox,
  isCapture,
  type MultiCaptureServices,
  readAuthorisation,
  type ServiceProcess,
  startMultiCaptureServices,
  usd,
} from '@capture-gateway/e2e-support';
import type { ApiErrorBody, Capture } from '@capture-gateway/client';

const ROUNDS = 20;

// Two service processes on one PostgreSQL schema, the multi-capture fixture plugin: two partial
// captures of one fresh authorisation of 100.00 (each declaring it) sent at the same moment, one
// to each process, whose amounts fit only one. Only the database can make the processes agree.
describe('two replicas racing partial captures of one authorisation (PostgreSQL)', () => {
  let running: MultiCaptureServices;
  let sandbox: FakeSandbox;
  let replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    running = await startMultiCaptureServices(2);
    ({ sandbox, services: replicas } = running);
  });

  afterAll(() => running?.close());

  test(`${ROUNDS} rounds: the committed total never passes the authorised amount; the loser is refused with nothing sent`, async () => {
    const [a, b] = replicas;
    if (!a || !b) throw new Error('two replicas expected');
    const stamp = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      const authorisationId = `race-${stamp}-${round}`;
      const ask = (amount: number) => ({
        account: 'multi-us',
        authorisationId,
        amount: usd(amount),
        authorisedAmount: usd(10_000),
        final: false,
      });
      // 60.00 + 50.00 > 100.00: one of them, never both. Alternate who sends which.
      const [left, right] = round % 2 ? [6_000, 5_000] : [5_000, 6_000];
      const replies = await Promise.all([
        capture<Capture | ApiErrorBody>(a.url, ask(left)),
        capture<Capture | ApiErrorBody>(b.url, ask(right)),
      ]);
      const taken = replies.filter((r) => r.status === 201);
      const refused = replies.filter((r) => r.status !== 201);
      expect({ round, taken: taken.length, refused: refused.map((r) => [r.status, r.body.error?.code]) }).toEqual({
        round,
        taken: 1,
        refused: [[422, 'amount_exceeds_authorisation']],
      });
      // Nothing of the loser reached the provider, and nothing of it was stored as a capture.
      expect(sandbox.capturesOf(authorisationId)).toBe(1);
      const view = await readAuthorisation(a.url, 'multi-us', authorisationId);
      expect(view.captures).toHaveLength(1);
      const won = defined(replies.map((r) => r.body).find(isCapture), 'the capture taken');
      expect(view.capturedTotal).toEqual([won.capturedAmount]);
      expect(view.capturedTotal[0]?.amount).toBeLessThanOrEqual(10_000);
    }
  });
});
