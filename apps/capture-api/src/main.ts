import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, portOf } from './app.factory';
import { configEnvFrom, configPathFrom, loadConfigFile } from './config/config.loader';
import { ConfigError } from './config/config.errors';
import { ConfigReloader } from './config/config.reloader';
import { shutdownDeadlineMs } from './config/timeouts';
import { APP_LOGGER, type AppLogger, reportTracingProblems, startTracing, type Tracing } from './observability';

async function main(): Promise<void> {
  // First: a bad OTEL_* value stops start-up like a bad config; unset, nothing is registered.
  const tracing = await startTracing(process.env);
  const loaded = loadConfigFile(configPathFrom(), configEnvFrom());
  const app = await createApp({ loaded });
  if (tracing.enabled) reportTracingProblems(app.get<AppLogger>(APP_LOGGER), process.env);
  const host = loaded.config.server.host ?? '0.0.0.0';
  await app.listen(portOf(loaded), host);
  process.stdout.write(
    `${JSON.stringify({ level: 'info', time: new Date().toISOString(), message: 'capture-api listening', url: await app.getUrl() })}\n`,
  );
  // Past this, a shutdown that still waits on a hung request gives up (exit 1) rather than hang the
  // deploy: derived from the longest provider call, so a slow account's captures are never cut off.
  const deadlineMs = shutdownDeadlineMs(loaded.config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown(app, tracing, signal, deadlineMs));
  // SIGHUP re-reads the config file: clients, keys, scopes and subscriptions (see ConfigReloader).
  reloadOnHangup = app.get(ConfigReloader);
}

// Set once the service listens. SIGHUP's default is to end the process: the handler is there from the
// first line, so a reload sent while the service starts is logged and ignored, never a crash.
let reloadOnHangup: ConfigReloader | undefined;
process.on('SIGHUP', () => {
  try {
    if (reloadOnHangup) reloadOnHangup.reload();
    else process.stderr.write('capture-api is still starting: SIGHUP ignored; send it again once it listens\n');
  } catch (error) {
    process.stderr.write(`capture-api config reload failed: ${error instanceof Error ? error.message : String(error)}\n`);
  }
});

/**
 * Stops accepting connections, lets in-flight requests (captures included) finish and answer, then
 * closes plugins and the database, in that order (Nest closes the HTTP server before the
 * `onApplicationShutdown` hooks run), then flushes the spans still queued for export. Exit code 0
 * when all of it finished.
 */
async function shutdown(app: NestFastifyApplication, tracing: Tracing, signal: NodeJS.Signals, deadlineMs: number): Promise<void> {
  const line = (message: string, fields: Record<string, unknown> = {}) =>
    process.stdout.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), message, signal, ...fields })}\n`);
  line('capture-api shutting down: finishing in-flight requests', { deadlineMs });
  setTimeout(() => {
    process.stderr.write(`capture-api shutdown timed out after ${deadlineMs} ms\n`);
    process.exit(1);
  }, deadlineMs).unref();
  // Node's server.close() drops only the keep-alive connections idle at that moment; one that finishes
  // its in-flight request later would hold the close open, so idle ones are dropped until it ends.
  const server = app.getHttpServer() as { closeIdleConnections?: () => void };
  const sweeper = setInterval(() => server.closeIdleConnections?.(), 100);
  try {
    await app.close();
    clearInterval(sweeper);
    if (!(await tracing.shutdown())) line('capture-api could not send its last traces to the OTLP endpoint; they are dropped');
    line('capture-api stopped');
    process.exit(0);
  } catch (error) {
    process.stderr.write(`capture-api shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  // A config problem is one line naming the file, the entry and the field; anything else, the stack.
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`capture-api failed to start: ${message}\n`);
  process.exit(1);
});
