import {
  capture,
  embeddedBackend,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  spawnService,
  startFakeSandbox,
  startProcess,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';

// The embedded database belongs to one process: a second service on the same data folder must stop
// at start-up with one line naming the folder, and leave the first one serving.
test('a second service on the same embedded data folder exits non-zero, naming the folder in use', async () => {
  const sandbox: FakeSandbox = await startFakeSandbox();
  const db = await embeddedBackend.create();
  try {
    const configPath = writeConfig(fakeConfig(db.database));
    const first = await startProcess(configPath, fakeEnv(sandbox));
    try {
      const second = spawnService(configPath, fakeEnv(sandbox));
      second.ready.catch(() => undefined);
      const { code, stderr } = await second.exited;
      expect(code).not.toBe(0);
      expect(stderr.trim()).toBe(
        `capture-api failed to start: database.dataDir: the embedded database folder ${db.database.dataDir} is in use by another process`,
      );
      const reply = await capture(first.url, { account: 'fake-us', authorisationId: `lock-${Date.now()}`, amount: usd(100) });
      expect(reply).toMatchObject({ status: 201, body: { status: 'succeeded' } });
    } finally {
      await first.close();
    }
  } finally {
    await sandbox.close();
    await db.destroy();
  }
});
