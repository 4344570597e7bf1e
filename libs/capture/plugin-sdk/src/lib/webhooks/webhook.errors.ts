/** Why a webhook delivery was refused. Stable, for logs and the 401 the service answers with. */
export type WebhookRejection = 'missing_signature' | 'bad_signature' | 'stale_timestamp' | 'malformed_body' | 'unsupported_event';

/** Thrown by `handleWebhook` for a delivery that must not change any capture. */
export class WebhookRejectedError extends Error {
  constructor(
    readonly reason: WebhookRejection,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRejectedError';
  }
}
