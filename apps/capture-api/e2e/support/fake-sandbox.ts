import { startSandboxServer, type RunningServer } from '@capture-gateway/plugin-sdk/testing';

export interface FakeSandbox extends RunningServer {
  apiKey: string;
  /** Every capture the fake provider received, by authorisation id. */
  capturesOf(authorisationId: string): number;
  totalCaptures(): number;
}

/** The fake provider's API: captures by magic authorisation id prefix, counting every call. */
export async function startFakeSandbox(apiKey = 'fake_sk_test_0123456789'): Promise<FakeSandbox> {
  const received = new Map<string, number>();
  const server = await startSandboxServer(({ body, headers }) => {
    if (headers['x-api-key'] !== apiKey) return { status: 401, json: { code: 'AUTH', message: 'bad key' } };
    const { authorisation, amount, reference } = body as {
      authorisation: string;
      amount: { amount: number; currency: string };
      reference: string;
    };
    received.set(authorisation, (received.get(authorisation) ?? 0) + 1);
    const ok = { id: `fk_${reference}`, amount: amount.amount, currency: amount.currency };
    if (authorisation.startsWith('decline-')) return { status: 402, json: { code: 'D05', message: 'Do not honour' } };
    if (authorisation.startsWith('error-')) return { status: 503, json: { code: 'BUSY', message: 'try later' } };
    if (authorisation.startsWith('timeout-')) return { silence: true };
    if (authorisation.startsWith('pending-')) return { status: 202, json: { ...ok, status: 'pending' } };
    if (authorisation.startsWith('slow-')) return { status: 200, json: { ...ok, status: 'captured' }, delayMs: 1_000 };
    return { status: 200, json: { ...ok, status: 'captured' } };
  });
  return {
    ...server,
    apiKey,
    capturesOf: (id) => received.get(id) ?? 0,
    totalCaptures: () => [...received.values()].reduce((a, b) => a + b, 0),
  };
}
