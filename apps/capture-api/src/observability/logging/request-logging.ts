import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * One line per answered request: id, method, route pattern (not the raw URL, which may carry ids
 * and query values), status and duration. Health and metrics scrapes log at debug, to keep noise out.
 */
export function registerRequestLogging(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const quiet = route.startsWith('/health/') || route === '/metrics';
    const fields = {
      requestId: request.id,
      method: request.method,
      route,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    logger[quiet ? 'debug' : 'info'](fields, 'request completed');
  });
}
