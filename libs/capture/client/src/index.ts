export { createCaptureClient, type CaptureClient } from './lib/capture-client';
export { CaptureApiError, type ClientErrorCode } from './lib/capture-api.error';
export type * from './lib/capture-client.types';
