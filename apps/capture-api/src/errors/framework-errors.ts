import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api.errors';

/**
 * Requests Fastify or Node refuse before any route, Nest filter or hook runs, answered in the one
 * error shape (`{ error: { code, message }, requestId }`) instead of Fastify's own:
 * - `frameworkErrors`: a path that is not valid percent-encoding (`FST_ERR_BAD_URL`, 400), a path
 *   parameter longer than Fastify's limit (`FST_ERR_MAX_PARAM_LENGTH`, 414);
 * - `clientErrorHandler`: what Node's HTTP parser refuses: headers past its size limit (431), a
 *   request that took too long (408), a malformed request (400). Written on the raw socket.
 * The code is `invalid_request` in every case; the HTTP status keeps its meaning.
 *
 * Pass to the adapter: `new FastifyAdapter({ ..., ...frameworkErrorOptions() })`.
 */
export function frameworkErrorOptions() {
  return {
    frameworkErrors(error: Error & { code?: string; statusCode?: number }, request: FastifyRequest, reply: FastifyReply): void {
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      const message = status === 414 ? 'A path segment of the request URL is too long' : 'The request URL is not valid percent-encoding';
      void reply
        .status(status)
        .header('content-type', 'application/json')
        .header('x-request-id', String(request.id))
        .send(new ApiError('invalid_request', message).body(String(request.id)));
    },
    clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const [status, message] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'The request headers are too large']
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'The request took too long to arrive']
            : [400, 'The request is malformed'];
      const requestId = `req_${randomUUID()}`;
      const body = JSON.stringify(new ApiError('invalid_request', message).body(requestId));
      if (socket.writable) {
        socket.write(
          `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
            `x-request-id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
        );
      }
      socket.destroy(error);
    },
  };
}
