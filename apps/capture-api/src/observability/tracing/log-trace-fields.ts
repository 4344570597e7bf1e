import { isSpanContextValid, trace } from '@opentelemetry/api';

/** What `traceLogFields` gives outside a span: one shared object, never written to (see `mergeTraceFields`). */
export const NO_TRACE_FIELDS: Readonly<{ trace_id?: string; span_id?: string }> = Object.freeze({});

/**
 * `trace_id` and `span_id` of the active span, for pino's `mixin`: a log line can be found from its
 * trace and back. Nothing when no span is active, which is always the case with tracing off.
 */
export function traceLogFields(): Readonly<{ trace_id?: string; span_id?: string }> {
  const span = trace.getActiveSpan();
  if (!span) return NO_TRACE_FIELDS;
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : NO_TRACE_FIELDS;
}

/**
 * pino's `mixinMergeStrategy`: the line's own fields when there is no trace (pino's default copies
 * them into the mixin's object, one object and a copy per line); the trace ids first otherwise, as
 * the default writes them.
 */
export function mergeTraceFields(fields: object, trace: object): object {
  return trace === NO_TRACE_FIELDS ? fields : Object.assign(trace, fields);
}
