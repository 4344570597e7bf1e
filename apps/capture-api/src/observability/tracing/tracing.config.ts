import { z } from 'zod';
import { ConfigError } from '../../config/config.errors';

export const DEFAULT_SERVICE_NAME = 'capture-gateway';

/** What start-up does about traces: nothing at all, or export them over OTLP/HTTP to `url`. */
export type TracingSettings = { enabled: false } | { enabled: true; url: string; serviceName: string };

const endpoint = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const serviceName = z.string().trim().min(1, { error: 'must not be empty' }).max(200);

/**
 * Reads the standard OpenTelemetry variables. `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is the full URL
 * (used as it is); `OTEL_EXPORTER_OTLP_ENDPOINT` is a base to which `v1/traces` is appended, as
 * every OpenTelemetry SDK does. Neither set (or `OTEL_SDK_DISABLED=true`): tracing is off.
 * A bad value is a `ConfigError` naming the variable, never the value (it may carry a token).
 */
export function tracingSettingsFrom(env: NodeJS.ProcessEnv): TracingSettings {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return { enabled: false };
  const traces = nonEmpty(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
  const base = nonEmpty(env['OTEL_EXPORTER_OTLP_ENDPOINT']);
  if (traces === undefined && base === undefined) return { enabled: false };
  const url =
    traces !== undefined
      ? checked('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', endpoint, traces)
      : `${checked('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint, base!).replace(/\/?$/, '/')}v1/traces`;
  const name = nonEmpty(env['OTEL_SERVICE_NAME']);
  return { enabled: true, url, serviceName: name === undefined ? DEFAULT_SERVICE_NAME : checked('OTEL_SERVICE_NAME', serviceName, name) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function checked(variable: string, schema: z.ZodType<string>, value: string): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ConfigError(`${variable}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
}
