import { postgresBackend } from './backends';
import { multiEnv, multiProvider, SHOP_KEY, writeConfig } from './config-file';
import { type FakeSandbox, startFakeSandbox } from './fake-sandbox';
import { type ServiceProcess, startProcess } from './service';

export interface MultiCaptureServices {
  sandbox: FakeSandbox;
  services: ServiceProcess[];
  /** Stops the processes, then the sandbox, then drops the database. */
  close(): Promise<void>;
}

/**
 * The multi-capture fixture plugin against its fake sandbox: `replicas` service processes on one
 * fresh PostgreSQL database, the `shop` client (SHOP_KEY) on `accounts`. What the multi-capture,
 * race and webhook-matching suites each set up.
 */
export async function startMultiCaptureServices(replicas = 1, accounts = ['multi-us']): Promise<MultiCaptureServices> {
  const sandbox = await startFakeSandbox();
  const db = await postgresBackend.create();
  const services: ServiceProcess[] = [];
  const close = async () => {
    await Promise.all(services.map((service) => service.close()));
    await sandbox.close();
    await db.destroy();
  };
  try {
    const config = { database: db.database, ...multiProvider(), clients: [{ id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts }] };
    const configPath = writeConfig(config);
    const env = { ...multiEnv(sandbox), SHOP_API_KEY: SHOP_KEY };
    services.push(...(await Promise.all(Array.from({ length: replicas }, () => startProcess(configPath, env)))));
  } catch (error) {
    await close();
    throw error;
  }
  return { sandbox, services, close };
}
