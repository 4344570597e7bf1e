import { createServer } from 'node:net';

/** A port `npm start` needs, and the variable that moves it. */
export interface DevPort {
  port: number;
  variable: string;
}

/** Thrown when a port is taken: its message is the one line `npm start` prints. */
export class PortTakenError extends Error {
  constructor(readonly port: DevPort) {
    super(`port ${port.port} is taken: set ${port.variable} to a free port`);
  }
}

/** Reads a port variable; anything but an integer 0…65535 is a config error naming the variable. */
export function portFrom(env: NodeJS.ProcessEnv, variable: string, fallback: number): DevPort {
  const raw = env[variable];
  if (raw === undefined || raw === '') return { port: fallback, variable };
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${variable} must be a port number (0-65535), got "${raw}"`);
  return { port, variable };
}

// Binding on every interface (as the service does by default) also collides with a listener on
// 127.0.0.1, so one probe covers both the sandboxes and the service.
function probe(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(false) : reject(error),
    );
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Checks every fixed port before anything starts, so a clash is one clear line, not a stack trace. */
export async function assertPortsFree(ports: readonly DevPort[]): Promise<void> {
  for (const entry of ports) {
    if (entry.port === 0) continue;
    if (!(await probe(entry.port))) throw new PortTakenError(entry);
  }
}

/** Maps a listener's EADDRINUSE (a port taken between the check and the start) to the same line. */
export function explainListenError(error: unknown, entry: DevPort): unknown {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE' ? new PortTakenError(entry) : error;
}
