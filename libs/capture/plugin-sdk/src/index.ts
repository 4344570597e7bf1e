export * from './lib/plugin.contract';
export * from './lib/plugin.guard';
export * from './lib/secrets';
export * from './lib/webhooks/webhook.errors';
export * from './lib/http/provider-http.client';
export * from './lib/http/http-status.mapper';
export * from './lib/http/transport-failure';
