import type { Tracing } from './tracing.types';
import { tracingSettingsFrom } from './tracing.config';

const OFF: Tracing = { enabled: false, shutdown: async () => true };

/**
 * With `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) set: a tracer provider exporting over
 * OTLP/HTTP (JSON) through a batch processor, the W3C trace-context propagator and an AsyncLocalStorage context
 * manager (`tracing.sdk.ts`). Unset: nothing is registered, every span is the API's no-op, and the
 * OpenTelemetry SDK and exporter are not even loaded (about 100 ms of start-up). A bad value throws
 * before anything is loaded. Call before `createApp`.
 */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<Tracing> {
  const settings = tracingSettingsFrom(env);
  if (!settings.enabled) return OFF;
  const { startOtlpTracing } = await import('./tracing.sdk');
  return startOtlpTracing(settings);
}
