import { context, propagation } from '@opentelemetry/api';

/**
 * `headers` with the active trace context added (`traceparent`, `tracestate`), so a
 * provider that traces sees its part of the capture as ours. The service registers the propagator;
 * with tracing off the API's no-op adds nothing. Only the API is used here: a plugin never needs the SDK.
 */
export function withTraceContext(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}
