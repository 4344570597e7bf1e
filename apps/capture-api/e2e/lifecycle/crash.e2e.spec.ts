import { dirname, relative } from 'node:path';
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import {
  BACKENDS,
  capture,
  defined,
  FAKE_PLUGIN,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  listCaptures,
  startFakeSandbox,
  startProcess,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';
import type { ApiErrorBody } from '@capture-gateway/client';

// The `crash-` authorisation makes the fake plugin kill its own process (SIGKILL) after the
// provider captured and before the service stored the answer: the worst moment to die.
describe.each(BACKENDS)('a crash between the provider call and the update, on $name', (backend) => {
  let sandbox: FakeSandbox;
  let destroy: () => Promise<void>;
  let configPath: string;

  beforeAll(async () => {
    sandbox = await startFakeSandbox();
    const db = await backend.create();
    destroy = db.destroy;
    // The shortest lease the config accepts must exceed the account timeout plus the 2 s grace.
    configPath = writeConfig(fakeConfig(db.database, { leaseSeconds: 4, timeoutMs: 1_500 }));
    // Load the plugin by a path relative to the config file, as an operator would write it.
    const config = fakeConfig(db.database, { leaseSeconds: 4, timeoutMs: 1_500 });
    config.plugins = [{ module: relative(dirname(configPath), FAKE_PLUGIN) }];
    expect(config.plugins[0]?.module.startsWith('.')).toBe(true);
    writeFileSync(configPath, stringify(config));
  });

  afterAll(async () => {
    await sandbox?.close();
    await destroy?.();
  });

  test('leaves an unknown record, and a retry with the key never calls the provider again', async () => {
    const id = `crash-${backend.name}-${Date.now()}`;
    const body = { account: 'fake-us', authorisationId: id, amount: usd(4200) };
    const first = await startProcess(configPath, fakeEnv(sandbox));
    await expect(capture(first.url, body, `key-${id}`)).rejects.toThrow(); // the connection dies with the process
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(sandbox.capturesOf(id)).toBe(1);

    const second = await startProcess(configPath, fakeEnv(sandbox));
    try {
      const listed = await listCaptures(second.url, '?account=fake-us&status=unknown');
      const record = defined(
        listed.body.data.find((c) => c.authorisationId === id),
        'the capture in doubt',
      );
      expect(record).toMatchObject({ status: 'unknown', requestedAmount: usd(4200) });

      // Within the lease the first request might still be running: 409, no call.
      const early = await capture(second.url, body, `key-${id}`);
      if (early.status !== 202) expect(early.body).toMatchObject({ error: { code: 'idempotency_request_in_progress' } });
      await new Promise((r) => setTimeout(r, 4_100));
      // After it, the stored record is the answer: still unknown, and the provider is not called again.
      const retried = await capture(second.url, body, `key-${id}`);
      expect(retried).toMatchObject({ status: 202, body: { id: record.id, status: 'unknown' } });
      // Without the key, the once-only rule still refuses a second capture of the authorisation.
      expect((await capture<ApiErrorBody>(second.url, body)).body.error.code).toBe('already_captured');
      expect(sandbox.capturesOf(id)).toBe(1);
    } finally {
      await second.close();
    }
  });
});
