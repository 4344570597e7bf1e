import {
  createProviderHttp,
  type CaptureCallOptions,
  type PluginLogger,
  type ProviderAnswer,
  type ProviderNoAnswer,
} from '@capture-gateway/plugin-sdk';
import { CAPTURE_PATH, type CaptureRequestBody } from './paymentoptions.schemas';

export const PROVIDER_NAME = 'PaymentOptions';

export interface PaymentOptionsClientConfig {
  baseUrl: string;
  authorizationKey: string;
  apiKey: string;
}

export interface PaymentOptionsClient {
  /** One POST, never retried: a second attempt could capture twice. */
  capture(body: CaptureRequestBody, call?: CaptureCallOptions): Promise<ProviderAnswer | ProviderNoAnswer>;
  /** The values no outcome or log line may contain. */
  readonly secrets: readonly string[];
}

/** The documented format is `Basic <key>`; a key configured with its `Basic ` prefix is sent as is. */
export function authorizationHeader(key: string): string {
  return /^basic\s/i.test(key) ? key : `Basic ${key}`;
}

export function createPaymentOptionsClient(
  config: PaymentOptionsClientConfig,
  context: { timeoutMs: number; logger?: PluginLogger },
): PaymentOptionsClient {
  const authorization = authorizationHeader(config.authorizationKey);
  const secrets = [authorization, config.authorizationKey, config.apiKey];
  const http = createProviderHttp({
    providerName: PROVIDER_NAME,
    baseUrl: config.baseUrl,
    timeoutMs: context.timeoutMs,
    headers: { authorization, 'x-api-key': config.apiKey, accept: 'application/json' },
    secrets,
    logger: context.logger,
  });
  return {
    secrets,
    capture: (body, call = {}) => http.post(CAPTURE_PATH, body, { signal: call.signal, requestId: call.requestId }),
  };
}
