import { type Context, context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CaptureAttributes, tracer } from './tracer';

const spans = new WeakMap<FastifyRequest, { span: Span; context: Context }>();

// Health probes and metrics scrapes come every few seconds from machines, not callers: no traces
// (their request lines are at debug level for the same reason).
const isProbe = (route: string) => route.startsWith('/health/') || route === '/metrics';

/**
 * The inbound request span. It starts at `onRequest` as a child of the caller's `traceparent`
 * (`tracestate` kept), and its context is entered in `preHandler` (after the body is read: the body's
 * stream events would lose it) and again in `onResponse`, so guards, handlers, database statements,
 * provider calls and the request's log lines all belong to it. Register before the request logging.
 */
export function registerRequestTracing(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && isProbe(route)) return done();
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer().startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: request.method,
          ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
          [CaptureAttributes.requestId]: request.id,
        },
      },
      parent,
    );
    spans.set(request, { span, context: trace.setSpan(parent, span) });
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const entry = spans.get(request);
    if (entry) context.with(entry.context, done);
    else done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const entry = spans.get(request);
    if (!entry) return done();
    const status = reply.statusCode;
    entry.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 500) {
      entry.span.setAttribute(ATTR_ERROR_TYPE, String(status));
      entry.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    // The later onResponse hooks (the request's log line) run inside this call, in the span's context.
    context.with(entry.context, done);
    entry.span.end();
  });
}
