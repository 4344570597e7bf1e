import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');
const MAIN = resolve(WORKSPACE_ROOT, 'apps/capture-api/src/main.ts');

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

export interface ServiceProcess extends RunningService {
  child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>;
}

/** Runs `npm start`'s entry point as a separate process, exactly as operators run it. */
export function spawnService(configPath: string, env: NodeJS.ProcessEnv): ServiceProcess & { ready: Promise<string> } {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, NODE_OPTIONS: '', SWC_NODE_PROJECT: 'tsconfig.base.json', CAPTURE_CONFIG: configPath, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal, stderr, stdout })),
  );
  const ready = new Promise<string>((resolveUrl, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /"message":"capture-api listening","url":"([^"]+)"/.exec(stdout);
      if (match?.[1]) resolveUrl(match[1].replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1'));
    });
    void exited.then(({ code }) => reject(new Error(`service exited (${code}) before listening: ${stderr}`)));
  });
  const service = {
    child,
    exited,
    ready,
    url: '',
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  void ready.then((url) => (service.url = url)).catch(() => undefined);
  return service;
}

/** Spawns a service and waits until it listens. */
export async function startProcess(configPath: string, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  const service = spawnService(configPath, env);
  service.url = await service.ready;
  return service;
}
