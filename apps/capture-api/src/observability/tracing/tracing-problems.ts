import { diag, type DiagLogger, DiagLogLevel } from '@opentelemetry/api';
import type { AppLogger } from '../logging/logger.factory';

const MAX_MESSAGE = 300;

/**
 * Export failures (a collector down, refusing, too slow) as warning lines, one per failed export,
 * instead of the silence OpenTelemetry keeps by default. The OTLP header values (a collector's token)
 * join the log's secrets first: an error quoting the request or the collector's answer could hold them.
 */
export function reportTracingProblems(appLogger: AppLogger, env: NodeJS.ProcessEnv = process.env): void {
  appLogger.secrets.add(otlpHeaderValues(env));
  const logger = appLogger.logger.child({ context: 'Tracing' });
  const warn = (message: string) => logger.warn(`tracing: ${readable(message).slice(0, MAX_MESSAGE)}`);
  const ignore = () => undefined;
  const sink: DiagLogger = { error: warn, warn, info: ignore, debug: ignore, verbose: ignore };
  diag.setLogger(sink, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}

/** The values of `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_EXPORTER_OTLP_TRACES_HEADERS` (`k=v,k2=v2`, URL-encoded). */
export function otlpHeaderValues(env: NodeJS.ProcessEnv): string[] {
  return [env['OTEL_EXPORTER_OTLP_HEADERS'], env['OTEL_EXPORTER_OTLP_TRACES_HEADERS']]
    .flatMap((raw) => (raw ?? '').split(','))
    .map((pair) => pair.slice(pair.indexOf('=') + 1).trim())
    .filter((value) => value.length > 0)
    .flatMap((value) => {
      try {
        return [value, decodeURIComponent(value)];
      } catch {
        return [value];
      }
    });
}

// OpenTelemetry reports a failed export as the error serialised to JSON, stack first: the message,
// code and the collector's answer are what an operator needs.
function readable(message: string): string {
  try {
    const error = JSON.parse(message) as { message?: unknown; code?: unknown; data?: unknown };
    if (typeof error !== 'object' || error === null || typeof error.message !== 'string') return message;
    const code = error.code === undefined ? '' : ` (${String(error.code)})`;
    const data = typeof error.data === 'string' && error.data.length > 0 ? `: ${error.data}` : '';
    return `export failed: ${error.message}${code}${data}`;
  } catch {
    return message;
  }
}
