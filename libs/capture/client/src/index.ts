export { createCaptureClient, type CaptureClient } from './lib/capture-client.js';
export { CaptureApiError, type ClientErrorCode } from './lib/capture-api.error.js';
export type * from './lib/capture-client.types.js';
export type * from './lib/capture.types.js';
export type * from './lib/capture-event.types.js';
