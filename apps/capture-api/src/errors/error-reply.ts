import { HttpException } from '@nestjs/common';
import { DomainError } from '@capture-gateway/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import type { AppLogger } from '../observability';
import { StorageUnavailableError } from '../persistence/storage-unavailable.error';
import { ApiError, RetryLaterError } from './api.errors';
import { apiErrorFromZod } from './zod-issue';

/**
 * Renders any exception in the one error shape: `{ error: { code, message, param?, provider? }, requestId }`.
 * Anything unexpected becomes a 500 without internals; the details go to the log only. The global
 * exception filter and the routes served outside Nest's pipeline (POST /v1/captures) both answer
 * through it, so their error JSON, headers and log lines cannot drift apart.
 */
export class ErrorReplies {
  private readonly logger: Logger;

  constructor(appLogger: AppLogger) {
    // The filter's name, kept for every caller: the log lines stay the ones alerts and searches know.
    this.logger = appLogger.logger.child({ context: 'ApiExceptionFilter' });
  }

  send(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const error = toApiError(exception);
    // Every error line names its request, so an answer a client quotes leads to its cause.
    const fields = { requestId: String(request.id), method: request.method, route: request.routeOptions?.url };
    if (error.code === 'internal_error') {
      this.logger.error({ ...fields, err: exception }, 'request failed');
    } else if (exception instanceof StorageUnavailableError) {
      this.logger.error({ ...fields, cause: describe(exception.cause) }, 'request failed: the database cannot be reached');
      void reply.header('retry-after', '2');
    } else if (exception instanceof RetryLaterError) {
      void reply.header('retry-after', String(exception.retryAfterSeconds));
    }
    void reply
      .status(error.status)
      .header('content-type', 'application/json')
      .send(error.body(String(request.id)));
  }
}

export function toApiError(exception: unknown): ApiError {
  if (exception instanceof ApiError) return exception;
  if (exception instanceof StorageUnavailableError) {
    return new ApiError('service_unavailable', 'The service cannot reach its database just now; retry with the same Idempotency-Key');
  }
  if (exception instanceof ZodError) return apiErrorFromZod(exception);
  if (exception instanceof DomainError) return new ApiError(exception.code, exception.message, exception.param);
  if (exception instanceof HttpException) return fromHttpException(exception);
  const fastify = exception as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify.code === 'string' && fastify.code.startsWith('FST_') && fastify.statusCode && fastify.statusCode < 500) {
    if (fastify.statusCode === 413) return new ApiError('payload_too_large', 'The request body is too large');
    // Read from its message, as on Nest's routes (Nest's adapter hands the filter an HttpException made
    // of the message): a body refusal reads the same on a plain Fastify route as on any other.
    return new ApiError('invalid_request', bodyProblem(fastify.message ?? fastify.code));
  }
  return new ApiError('internal_error', 'Something went wrong on our side');
}

function fromHttpException(exception: HttpException): ApiError {
  const status = exception.getStatus();
  if (status === 404) return new ApiError('not_found', 'No such route');
  if (status === 401) return new ApiError('unauthenticated', 'Missing or invalid API key');
  if (status === 413) return new ApiError('payload_too_large', 'The request body is too large');
  if (status < 500) return new ApiError('invalid_request', bodyProblem(exception.message));
  return new ApiError('internal_error', 'Something went wrong on our side');
}

function bodyProblem(text: string): string {
  if (/JSON|Unexpected token|Body/i.test(text)) return 'The request body is not valid JSON';
  if (/MEDIA_TYPE|content-type/i.test(text)) return 'The request body must be application/json';
  return 'The request is malformed';
}

// The driver's code and message only: never a connection string.
function describe(cause: unknown): string {
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  return [code, message].filter((part) => typeof part === 'string').join(': ');
}
