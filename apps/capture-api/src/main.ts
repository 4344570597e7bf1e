import 'reflect-metadata';
import { createApp, portOf } from './app.factory';
import { configPathFrom, loadConfigFile } from './config/config.loader';
import { ConfigError } from './config/config.errors';

async function main(): Promise<void> {
  const loaded = loadConfigFile(configPathFrom());
  const app = await createApp({ loaded });
  const host = loaded.config.server.host ?? '0.0.0.0';
  await app.listen(portOf(loaded), host);
  process.stdout.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), message: 'capture-api listening', url: await app.getUrl() })}\n`);
}

main().catch((error: unknown) => {
  // A config problem is one line naming the file, the entry and the field; anything else, the stack.
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`capture-api failed to start: ${message}\n`);
  process.exit(1);
});
