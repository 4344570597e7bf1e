import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const WORKSPACE = join(__dirname, '../..');
const TS_RUNTIME = ['-r', '@swc-node/register'];
export const TS_ENV = { SWC_NODE_PROJECT: join(WORKSPACE, 'tsconfig.base.json') };

/** Forks a TypeScript file and waits for its `{ type: 'ready' }` message. */
export async function forkReady<T>(
  file: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(join(__dirname, file), args, {
    execArgv: TS_RUNTIME,
    env: { ...process.env, ...TS_ENV, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await new Promise<T>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
    child.on('message', (message: { type: string }) => message.type === 'ready' && resolve(message as T));
  });
  return { child, ready };
}

/** Peak and current resident memory of a process, in MB, from Linux's /proc. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Samples a process's RSS every `everyMs` until stopped. */
export function sampleMemory(pid: number, everyMs = 250): () => number[] {
  const samples: number[] = [];
  const timer = setInterval(() => {
    try {
      samples.push(memoryOf(pid).rssMb);
    } catch {
      /* the process is gone */
    }
  }, everyMs);
  return () => {
    clearInterval(timer);
    return samples;
  };
}

export function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

const TICKS_PER_SECOND = 100; // Linux's USER_HZ, as /proc/<pid>/stat counts

/** CPU time (user + system) a process has used so far, in ms; 0 where /proc cannot tell. */
export function cpuMsOf(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
