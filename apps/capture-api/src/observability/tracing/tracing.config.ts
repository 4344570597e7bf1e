import { z } from 'zod';
import { ConfigError } from '../../config/config.errors';

export const DEFAULT_SERVICE_NAME = 'capture-gateway';

/** The standard `OTEL_TRACES_SAMPLER` values this service honours (default `parentbased_always_on`). */
export const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

/** What start-up does about traces: nothing at all, or export them over OTLP/HTTP to `url`. */
export type TracingSettings =
  { enabled: false } | { enabled: true; url: string; serviceName: string; sampler: { name: SamplerName; ratio: number } };

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
  let url: string;
  if (traces !== undefined) url = checked('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', endpoint, traces);
  else if (base !== undefined) url = `${checked('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint, base).replace(/\/?$/, '/')}v1/traces`;
  else return { enabled: false };
  const name = nonEmpty(env['OTEL_SERVICE_NAME']);
  return {
    enabled: true,
    url,
    serviceName: name === undefined ? DEFAULT_SERVICE_NAME : checked('OTEL_SERVICE_NAME', serviceName, name),
    sampler: samplerFrom(env),
  };
}

const samplerName = z.enum(SAMPLERS, { error: `must be one of ${SAMPLERS.join(', ')}` });
const ratio = z.coerce
  .number({ error: 'must be a number from 0 to 1' })
  .min(0, { error: 'must be a number from 0 to 1' })
  .max(1, { error: 'must be a number from 0 to 1' });

// `OTEL_TRACES_SAMPLER_ARG` is the ratio of the *traceidratio samplers (default 1: every trace).
function samplerFrom(env: NodeJS.ProcessEnv): { name: SamplerName; ratio: number } {
  const raw = nonEmpty(env['OTEL_TRACES_SAMPLER'])?.toLowerCase();
  const name = raw === undefined ? 'parentbased_always_on' : checked('OTEL_TRACES_SAMPLER', samplerName, raw);
  const arg = nonEmpty(env['OTEL_TRACES_SAMPLER_ARG']);
  return { name, ratio: arg === undefined ? 1 : checked('OTEL_TRACES_SAMPLER_ARG', ratio, arg) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function checked<T>(variable: string, schema: z.ZodType<T>, value: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ConfigError(`${variable}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
}
