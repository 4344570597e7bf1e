import type { PluginLogger } from '../lib/plugin.contract';

export interface MemoryLogger extends PluginLogger {
  /** Every line logged, serialised as a JSON log shipper would see it. */
  readonly lines: string[];
}

/** A logger that keeps its lines, so tests can search them for secrets and card numbers. */
export function createMemoryLogger(): MemoryLogger {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, message, ...fields }));
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
