import {
  type CaptureCallOptions,
  type PluginContext,
  type ProviderAnswer,
  type ProviderNoAnswer,
  createProviderHttp,
} from '@capture-gateway/plugin-sdk';
import type { PayEngineConfig } from './payengine.config';
import { PROVIDER_NAME } from './payengine.mapper';
import type { PayEngineCaptureRequest } from './payengine.schemas';

export const CAPTURE_PATH = 'api/payment/capture';

export interface PayEngineClient {
  /** One POST, never retried (a retry could capture twice); never throws. */
  capture(body: PayEngineCaptureRequest, call?: CaptureCallOptions): Promise<ProviderAnswer | ProviderNoAnswer>;
}

/** The account's secrets, for redaction: the API key and the webhook secret. */
export function accountSecrets(config: PayEngineConfig): string[] {
  return [config.secretKey, config.webhookSecret].filter((value): value is string => !!value);
}

/**
 * PayEngine's capture endpoint over the SDK's HTTP helper (timeout, no retry, redaction). The
 * secret key travels as `Authorization: Basic <secretKey>`, PayEngine's API-key scheme.
 */
export function createPayEngineClient(config: PayEngineConfig, context: PluginContext): PayEngineClient {
  const http = createProviderHttp({
    providerName: PROVIDER_NAME,
    baseUrl: config.baseUrl,
    timeoutMs: context.timeoutMs,
    headers: { authorization: `Basic ${config.secretKey}`, accept: 'application/json' },
    secrets: accountSecrets(config),
    logger: context.logger,
  });
  return {
    capture: (body, call = {}) => http.post(CAPTURE_PATH, body, { signal: call.signal, requestId: call.requestId }),
  };
}
