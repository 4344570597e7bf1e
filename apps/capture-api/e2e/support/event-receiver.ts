import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface ReceivedEvent {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface EventReceiver {
  url: string;
  port: number;
  /** Everything received since this process started. */
  received(): Promise<ReceivedEvent[]>;
  stop(): Promise<void>;
}

/** A free port on the loopback, for a receiver that must come back on the same one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** Starts the receiver (support/event-receiver.mjs) as a separate process on `port`. */
export async function startEventReceiver(port: number): Promise<EventReceiver> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'event-receiver.mjs')], {
    env: { ...process.env, NODE_OPTIONS: '', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    child.on('exit', (code) => reject(new Error(`event receiver exited (${code}) before listening`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    received: async () => (await fetch(`${url}/__received`)).json() as Promise<ReceivedEvent[]>,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
