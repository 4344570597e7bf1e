import { trace } from '@opentelemetry/api';
import { SERVICE_VERSION } from '../../version';

/**
 * The service's one tracer. Taken from the global API at load time: until a provider is registered
 * (and for ever when tracing is off) it is the API's no-op tracer, so spans cost a call and nothing more.
 * Once a provider was registered it delegates to that one for good: register once, at start-up.
 */
export const tracer = trace.getTracer('capture-gateway', SERVICE_VERSION);

/** Attribute names of our own, beside the semantic conventions' (they have none for a plugin or an account). */
export const CaptureAttributes = {
  pluginId: 'capture_gateway.plugin.id',
  account: 'capture_gateway.account',
  operation: 'capture_gateway.operation',
  outcome: 'capture_gateway.outcome',
  errorCode: 'capture_gateway.error.code',
  requestId: 'capture_gateway.request_id',
  webhookUpdates: 'capture_gateway.webhook.updates',
  webhookRefused: 'capture_gateway.webhook.refused',
} as const;
