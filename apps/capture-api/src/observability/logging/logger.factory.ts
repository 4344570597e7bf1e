import pino, { type DestinationStream, type Logger } from 'pino';
import { REDACTED } from '@capture-gateway/plugin-sdk';
import { mergeTraceFields, traceLogFields } from '../tracing/log-trace-fields';
import { redactLogLine, sensitiveHeaderPaths, SecretSet } from './log-redaction';

export interface AppLoggerOptions {
  /** pino level: `trace` … `fatal`, or `silent`. Default `info`. */
  level?: string;
  /** Every configured secret value; more can be added later through the returned `secrets`. */
  secrets?: Iterable<string> | SecretSet;
  /** Where lines go; default stdout. Tests pass a stream that keeps them. */
  destination?: DestinationStream;
  /** Fields on every line, such as `{ service: 'capture-api' }`. */
  base?: Record<string, unknown>;
}

export interface AppLogger {
  logger: Logger;
  secrets: SecretSet;
}

/**
 * The service's one JSON logger. Sensitive headers are removed by path; then every finished line
 * is scrubbed of secret values, bearer/basic credentials and card numbers, wherever they hide.
 * Lines written inside a span carry its `trace_id` and `span_id`.
 */
export function createAppLogger(options: AppLoggerOptions = {}): AppLogger {
  const secrets = options.secrets instanceof SecretSet ? options.secrets : new SecretSet(options.secrets ?? []);
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? { service: 'capture-api' },
      messageKey: 'message',
      // ISO time, not epoch milliseconds: a 13-digit number could pass the card-number check.
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // trace_id and span_id of the active span, when there is one (tracing on, inside a request or call).
      mixin: traceLogFields,
      mixinMergeStrategy: mergeTraceFields,
      redact: { paths: sensitiveHeaderPaths(), censor: REDACTED },
      hooks: { streamWrite: (line) => redactLogLine(line, secrets) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return { logger, secrets };
}
