import {
  capture,
  defined,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  isCapture,
  postgresBackend,
  type ServiceProcess,
  startFakeSandbox,
  startProcess,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';
import type { ApiErrorBody, Capture } from '@capture-gateway/client';

// Two separate processes on one PostgreSQL schema: only the database can make them agree.
describe('two service instances sharing PostgreSQL', () => {
  let sandbox: FakeSandbox;
  let destroy: () => Promise<void>;
  let instances: ServiceProcess[] = [];

  beforeAll(async () => {
    sandbox = await startFakeSandbox();
    const db = await postgresBackend.create();
    destroy = db.destroy;
    // Keys are optional here: the second test shows the database alone stops keyless duplicates.
    const configPath = writeConfig(fakeConfig(db.database, { keyRequired: false }));
    // Started together: the migrations' advisory lock lets exactly one apply them.
    instances = await Promise.all([startProcess(configPath, fakeEnv(sandbox)), startProcess(configPath, fakeEnv(sandbox))]);
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.close()));
    await sandbox?.close();
    await destroy?.();
  });

  const spread = <T>(count: number, send: (url: string) => Promise<T>) =>
    Promise.all(Array.from({ length: count }, (_, i) => send(defined(instances[i % instances.length], 'an instance').url)));

  test('many identical requests with one key: one provider call, every other answer a replay or 409', async () => {
    const id = `slow-two-${Date.now()}`;
    const body = { account: 'fake-us', authorisationId: id, amount: usd(1234) };
    const replies = await spread(40, (url) => capture<Capture | ApiErrorBody>(url, body, `key-${id}`));
    const created = replies.filter((r) => r.status === 201).map((r) => r.body);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(replies.every((r) => r.status === 201 || (r.status === 409 && r.body.error?.code === 'idempotency_request_in_progress'))).toBe(
      true,
    );
    const ids = new Set(created.filter(isCapture).map((c) => c.id));
    expect(ids.size).toBe(1);
    expect(sandbox.capturesOf(id)).toBe(1);
    // Afterwards both instances replay the same answer.
    const after = await spread(4, (url) => capture(url, body, `key-${id}`));
    expect(after.map((r) => [r.status, r.body.id])).toEqual(Array(4).fill([201, [...ids][0]]));
    expect(sandbox.capturesOf(id)).toBe(1);
  });

  test('many identical requests without a key: the unique index lets one capture through', async () => {
    const id = `slow-nokey-${Date.now()}`;
    const replies = await spread(30, (url) =>
      capture<Capture | ApiErrorBody>(url, { account: 'fake-us', authorisationId: id, amount: usd(50) }, null),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409 && r.body.error?.code === 'already_captured')).toHaveLength(29);
    expect(sandbox.capturesOf(id)).toBe(1);
  });
});
