// Compiled by packed-client.e2e.spec.ts in the product team's folder outside the workspace, with
// the workspace's tsc but nothing else of it: the installed package's .d.ts must stand alone
// (strict, nodenext resolution, skipLibCheck off).
import {
  CaptureApiError,
  createCaptureClient,
  EventVerificationError,
  verifyEvent,
  type Capture,
  type CaptureEvent,
  type CaptureRequest,
  type CaptureSucceededEvent,
  type ErrorCode,
  type EventVerificationReason,
} from '@capture-gateway/client';

export function describeEvent(event: CaptureEvent): string {
  switch (event.type) {
    case 'capture.succeeded': {
      const succeeded: CaptureSucceededEvent = event;
      const status: 'succeeded' = succeeded.data.capture.status;
      return `${event.data.capture.id} ${status} (${event.data.capture.capturedAmount?.amount ?? 0})`;
    }
    case 'capture.failed':
      return `${event.data.capture.id} failed: ${event.data.capture.error?.code ?? 'no code'}`;
    case 'capture.pending':
    case 'capture.unknown':
      return `${event.data.capture.id} in doubt (${event.data.capture.status}) after ${event.data.previousStatus ?? 'nothing'}`;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

export function receive(rawBody: Uint8Array, header: string | undefined, secrets: readonly string[]): string | EventVerificationReason {
  try {
    return describeEvent(verifyEvent(rawBody, header, secrets, { toleranceSeconds: 300 }));
  } catch (error) {
    if (error instanceof EventVerificationError) return error.reason;
    throw error;
  }
}

export async function captureOrder(
  request: CaptureRequest,
): Promise<Capture | ErrorCode | 'network_error' | 'timeout' | 'unexpected_response'> {
  const gateway = createCaptureClient({ baseUrl: 'http://127.0.0.1:3000', apiKey: 'key', retry: { limit: 1 } });
  try {
    return await gateway.captures.create(request, { idempotencyKey: 'order-1' });
  } catch (error) {
    if (error instanceof CaptureApiError) return error.code;
    throw error;
  }
}
