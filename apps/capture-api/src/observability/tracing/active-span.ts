import { type Span, type SpanOptions, SpanStatusCode } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { tracer } from './tracer';

/**
 * Runs `work` in a new span made the active one, so what it calls (statements, the SDK's HTTP
 * helper, log lines) nests under it. A throw marks the span failed by the error's class only: a
 * message may quote what it refused.
 */
export function inActiveSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setAttribute(ATTR_ERROR_TYPE, error instanceof Error ? error.name : 'error');
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
