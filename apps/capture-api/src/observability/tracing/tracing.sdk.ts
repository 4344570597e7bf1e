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
import { FLUSH_LIMIT_MS, type Tracing } from './tracing.types';
import type { SamplerName, TracingSettings } from './tracing.config';

/** The OTLP/HTTP exporter behind a batch processor, registered globally: what `startTracing` loads when tracing is on. */
export function startOtlpTracing(settings: Extract<TracingSettings, { enabled: true }>): Tracing {
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
