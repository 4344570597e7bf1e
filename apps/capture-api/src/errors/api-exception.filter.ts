import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_LOGGER, type AppLogger } from '../observability';
import { ErrorReplies } from './error-reply';

/** Every error a Nest route throws, answered in the one error shape (see `ErrorReplies`). */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly replies: ErrorReplies;

  constructor(@Inject(APP_LOGGER) appLogger: AppLogger) {
    this.replies = new ErrorReplies(appLogger);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.replies.send(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
