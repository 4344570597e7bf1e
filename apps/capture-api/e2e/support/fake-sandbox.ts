import { startSandboxServer, type RunningServer, type SandboxReply } from '@capture-gateway/plugin-sdk/testing';

export interface FakeSandbox extends RunningServer {
  apiKey: string;
  /** Every capture the fake provider received, by authorisation id. */
  capturesOf(authorisationId: string): number;
  totalCaptures(): number;
  /** Status checks received for one capture (by our capture id), and the most that ran at once. */
  checksOf(captureId: string): { total: number; maxConcurrent: number };
  totalChecks(): number;
}

type Settled = { status: 'captured' | 'pending' | 'declined'; authorisation: string; amount: number; currency: string; at: number };

// A pending capture the provider settles on its own after this long, without sending a webhook:
// only a status check finds out.
const PENDING_SETTLES_AFTER_MS = 500;

/**
 * The fake provider's API: captures by magic authorisation id prefix, counting every call, and a
 * status check (`GET /captures/:reference`) that reports what it did with each capture, or 404 for
 * one it never received. `lost-` hangs up without receiving; an authorisation containing `slowcheck` is checked in 400 ms (its account's timeout is 500 ms).
 */
export async function startFakeSandbox(apiKey = 'fake_sk_test_0123456789'): Promise<FakeSandbox> {
  const received = new Map<string, number>();
  const settled = new Map<string, Settled>();
  const checks = new Map<string, { total: number; running: number; maxConcurrent: number }>();
  const server = await startSandboxServer(async ({ method, path, body, headers }): Promise<SandboxReply> => {
    if (headers['x-api-key'] !== apiKey) return { status: 401, json: { code: 'AUTH', message: 'bad key' } };
    if (method === 'GET' && path.startsWith('/captures/')) return check(decodeURIComponent(path.slice('/captures/'.length)));
    const { authorisation, amount, reference } = body as {
      authorisation: string;
      amount: { amount: number; currency: string };
      reference: string;
    };
    if (authorisation.startsWith('lost-')) return { hangUp: true }; // the request never arrived
    received.set(authorisation, (received.get(authorisation) ?? 0) + 1);
    const ok = { id: `fk_${reference}`, amount: amount.amount, currency: amount.currency };
    const keep = (status: Settled['status']) =>
      settled.set(reference, { status, authorisation, amount: amount.amount, currency: amount.currency, at: Date.now() });
    if (authorisation.startsWith('decline-')) {
      keep('declined');
      return { status: 402, json: { code: 'D05', message: 'Do not honour' } };
    }
    if (authorisation.startsWith('error-')) return { status: 503, json: { code: 'BUSY', message: 'try later' } };
    keep(authorisation.startsWith('pending-') ? 'pending' : 'captured');
    if (authorisation.startsWith('timeout-')) return { silence: true }; // captured, but the answer never comes
    if (authorisation.startsWith('pending-')) return { status: 202, json: { ...ok, status: 'pending' } };
    if (authorisation.startsWith('slow-')) return { status: 200, json: { ...ok, status: 'captured' }, delayMs: 1_000 };
    return { status: 200, json: { ...ok, status: 'captured' } };
  });

  async function check(reference: string): Promise<SandboxReply> {
    const count = checks.get(reference) ?? { total: 0, running: 0, maxConcurrent: 0 };
    checks.set(reference, count);
    count.total++;
    count.running++;
    count.maxConcurrent = Math.max(count.maxConcurrent, count.running);
    try {
      const found = settled.get(reference);
      await new Promise((done) => setTimeout(done, found?.authorisation.includes('slowcheck') ? 400 : 100));
      if (!found) return { status: 404, json: { code: 'NOT_FOUND', message: 'no such capture' } };
      const status = found.status === 'pending' && Date.now() - found.at > PENDING_SETTLES_AFTER_MS ? 'captured' : found.status;
      return { status: 200, json: { id: `fk_${reference}`, status, amount: found.amount, currency: found.currency } };
    } finally {
      count.running--;
    }
  }

  return {
    ...server,
    apiKey,
    capturesOf: (id) => received.get(id) ?? 0,
    totalCaptures: () => [...received.values()].reduce((a, b) => a + b, 0),
    checksOf: (id) => {
      const count = checks.get(id);
      return { total: count?.total ?? 0, maxConcurrent: count?.maxConcurrent ?? 0 };
    },
    totalChecks: () => [...checks.values()].reduce((a, b) => a + b.total, 0),
  };
}
