import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service';

/**
 * Counts every answered request under its route pattern (`/v1/captures/:id`), never the raw URL,
 * so ids and query strings cannot explode the label set. Requests no route matched share `unmatched`.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.recordHttpRequest({ method: request.method, route, status: reply.statusCode }, reply.elapsedTime / 1000);
  });
}
