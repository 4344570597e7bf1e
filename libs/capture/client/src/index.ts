export { createCaptureClient, type CaptureClient } from './lib/capture-client.js';
export { CaptureApiError, type ClientErrorCode } from './lib/capture-api.error.js';
export {
  verifyEvent,
  EventVerificationError,
  SIGNATURE_HEADER,
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
  type EventVerificationReason,
  type VerifyEventOptions,
} from './lib/verify-event.js';
export type * from './lib/capture-client.types.js';
export type * from './lib/capture.types.js';
export type * from './lib/capture-event.types.js';
