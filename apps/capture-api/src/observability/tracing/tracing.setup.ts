import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { SERVICE_VERSION } from '../../version';
import { type SamplerName, tracingSettingsFrom } from './tracing.config';

/**
 * What start-up registered. `shutdown` flushes the spans still queued (waiting at most
 * `FLUSH_LIMIT_MS`) and unregisters everything; it never throws: it resolves `false` when the spans
 * could not all be sent (the collector is down or slow), which must not fail the service's shutdown.
 */
export interface Tracing {
  enabled: boolean;
  shutdown(): Promise<boolean>;
}

export const FLUSH_LIMIT_MS = 5_000;

const OFF: Tracing = { enabled: false, shutdown: async () => true };

/**
 * With `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) set: a tracer provider exporting over
 * OTLP/HTTP (JSON) through a batch processor, the W3C trace-context propagator and an AsyncLocalStorage context
 * manager. Unset: nothing is registered and every span is the API's no-op. Call before `createApp`.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env): Tracing {
  const settings = tracingSettingsFrom(env);
  if (!settings.enabled) return OFF;
  // The exporter reads the other OTLP variables itself (headers, timeout: 10 s by default, compression).
  const exporter = new OTLPTraceExporter({ url: settings.url });
  return registerTracing(new BatchSpanProcessor({ exporter }), settings.serviceName, samplerOf(settings.sampler));
}

/** The sampler `OTEL_TRACES_SAMPLER` names; the `parentbased_*` ones follow a caller's sampled flag. */
export function samplerOf({ name, ratio }: { name: SamplerName; ratio: number }): Sampler {
  const root = name.endsWith('always_off')
    ? new AlwaysOffSampler()
    : name.endsWith('traceidratio')
      ? new TraceIdRatioBasedSampler(ratio)
      : new AlwaysOnSampler();
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/** Registers a provider with `processor` globally (tests pass a processor over an in-memory exporter). */
export function registerTracing(processor: SpanProcessor, serviceName: string, sampler?: Sampler): Tracing {
  const provider = new TracerProvider({
    ...(sampler ? { sampler } : {}),
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, [ATTR_SERVICE_VERSION]: SERVICE_VERSION }),
    spanProcessors: [processor],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  // Trace context only: a caller's `baggage` (its own data, user ids perhaps) is not carried on to
  // the payment providers.
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    enabled: true,
    shutdown: async () => {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), FLUSH_LIMIT_MS).unref()));
      try {
        return await Promise.race([provider.shutdown().then(() => true), limit]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
        trace.disable();
        propagation.disable();
        context.disable();
      }
    },
  };
}
