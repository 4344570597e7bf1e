import {
  capture,
  embeddedBackend,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  startFakeSandbox,
  startProcess,
  storedRowsText,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';

// SIGTERM while a capture waits on a slow provider (~1 s): the capture finishes, its client gets
// the answer, the record is final, and the process exits 0 having closed the database.
test('graceful shutdown finishes in-flight captures, then stops accepting and exits 0', async () => {
  const sandbox: FakeSandbox = await startFakeSandbox();
  const db = await embeddedBackend.create();
  try {
    const service = await startProcess(writeConfig(fakeConfig(db.database, { timeoutMs: 5_000 })), fakeEnv(sandbox));
    const inFlight = capture(service.url, { account: 'fake-us', authorisationId: `slow-${Date.now()}`, amount: usd(4200) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    service.child.kill('SIGTERM');
    const reply = await inFlight;
    expect(reply).toMatchObject({ status: 201, body: { status: 'succeeded', capturedAmount: usd(4200) } });
    const exit = await service.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.stdout).toContain('capture-api stopped');
    // After exit: nothing listens any more.
    await expect(fetch(`${service.url}/health/live`)).rejects.toThrow();
    // The embedded database opens only once the service let go of it; the record is final.
    const rows = JSON.parse(await storedRowsText(db.database, 'captures')) as Array<{ id: string; status: string }>;
    expect(rows).toEqual([expect.objectContaining({ id: reply.body.id, status: 'succeeded' })]);
  } finally {
    await sandbox.close();
    await db.destroy();
  }
});
