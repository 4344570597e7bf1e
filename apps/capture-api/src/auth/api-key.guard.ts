import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api.errors';
import { type ApiClient, ApiClients } from './api-clients';

type AuthenticatedRequest = FastifyRequest & { apiClient?: ApiClient };

/** `Authorization: Bearer <key>` on every `/v1` route (webhooks excepted: providers sign those). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(ApiClients) private readonly clients: ApiClients) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    const client = this.clients.authenticate(key);
    if (!client) throw new ApiError('unauthenticated', 'Missing or invalid API key; send Authorization: Bearer <key>');
    request.apiClient = client;
    return true;
  }
}

export const CurrentClient = createParamDecorator((_: unknown, context: ExecutionContext): ApiClient => {
  const client = context.switchToHttp().getRequest<AuthenticatedRequest>().apiClient;
  if (!client) throw new ApiError('unauthenticated', 'Missing or invalid API key');
  return client;
});
