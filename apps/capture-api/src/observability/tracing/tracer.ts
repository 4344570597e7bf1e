import { type Tracer, type TracerProvider, trace } from '@opentelemetry/api';
import { SERVICE_VERSION } from '../../version';

let current: { provider: TracerProvider; tracer: Tracer } | undefined;

/**
 * The service's tracer, from the provider registered now: with tracing off the API's no-op, so a
 * span costs a call and nothing more. Kept until the global provider changes (a tracer taken once at
 * load would keep delegating to the first provider ever registered, even after it was shut down).
 */
export function tracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (current?.provider !== provider) current = { provider, tracer: provider.getTracer('capture-gateway', SERVICE_VERSION) };
  return current.tracer;
}

/** Attribute names of our own, beside the semantic conventions' (they have none for a plugin or an account). */
export const CaptureAttributes = {
  pluginId: 'capture_gateway.plugin.id',
  account: 'capture_gateway.account',
  operation: 'capture_gateway.operation',
  outcome: 'capture_gateway.outcome',
  errorCode: 'capture_gateway.error.code',
  requestId: 'capture_gateway.request_id',
  webhookUpdates: 'capture_gateway.webhook.updates',
  webhookRefused: 'capture_gateway.webhook.refused',
} as const;
