import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

// Ids we echo into logs and responses: short, printable, no spaces or separators that could forge a line.
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

/** The caller's `x-request-id` when it is sane, otherwise a new one. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : `req_${randomUUID()}`;
}

/**
 * Options for `new FastifyAdapter({...})`: Fastify takes the request id (`request.id`) from
 * `resolveRequestId`, not blindly from the header.
 */
export function requestIdAdapterOptions(): { requestIdHeader: false; genReqId: (req: { headers: IncomingHeaders }) => string } {
  return {
    requestIdHeader: false,
    genReqId: (req) => resolveRequestId(req.headers[REQUEST_ID_HEADER]),
  };
}

type IncomingHeaders = Record<string, string | string[] | undefined>;

/** Echoes the request id in every response, errors and 404s included. */
export function registerRequestIdHeader(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}
