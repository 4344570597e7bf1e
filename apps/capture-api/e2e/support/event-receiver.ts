import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface ReceivedEvent {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Per event id: the requests that came, and the most that were open at once. */
export type EventConcurrency = Record<string, { requests: number; most: number }>;

export interface EventReceiver {
  url: string;
  port: number;
  /** Everything received since this process started. */
  received(): Promise<ReceivedEvent[]>;
  concurrency(): Promise<EventConcurrency>;
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

/** Starts the receiver (support/event-receiver.mjs) as a separate process on `port`; it answers `delayMs` late. */
export async function startEventReceiver(port: number, delayMs = 0): Promise<EventReceiver> {
  const child = spawn(process.execPath, [join(__dirname, 'event-receiver.mjs')], {
    env: { ...process.env, NODE_OPTIONS: '', PORT: String(port), DELAY_MS: String(delayMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    child.on('exit', (code) => reject(new Error(`event receiver exited (${code}) before listening`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    received: async () => (await fetch(`${url}/__received`)).json() as Promise<ReceivedEvent[]>,
    concurrency: async () => (await fetch(`${url}/__concurrency`)).json() as Promise<EventConcurrency>,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
