import type { CaptureEvent, CaptureRecord } from '@capture-gateway/domain';
import { eventPayloadJson, sharedCaptureJson } from './event.rows';

const capture: CaptureRecord = {
  id: 'cap_01JTEST',
  account: 'po-main',
  provider: 'paymentoptions',
  authorisationId: 'txn-1',
  requestedAmount: { amount: 1000, currency: 'JPY' },
  capturedAmount: { amount: 1000, currency: 'JPY' },
  status: 'succeeded',
  providerReferences: { captureId: 'pc-1' },
  description: 'a "quoted" \u0000 description',
  createdAt: '2026-12-05T00:00:00.000Z',
  updatedAt: '2026-12-05T00:00:01.000Z',
};

const event = (sequence: number): CaptureEvent => ({
  id: 'evt_01JTEST',
  type: 'capture.succeeded',
  createdAt: capture.updatedAt,
  sequence,
  data: { capture, ...(sequence > 1 ? { previousStatus: 'pending' as const } : {}), source: 'api' },
});

describe('eventPayloadJson', () => {
  it.each([1, 2])('splices the serialised capture into the very text JSON.stringify writes (sequence %i)', (sequence) => {
    expect(eventPayloadJson(event(sequence), JSON.stringify(capture))).toBe(JSON.stringify(event(sequence)));
    expect(eventPayloadJson(event(sequence))).toBe(JSON.stringify(event(sequence)));
  });

  it('shares the response body only when it is the capture itself, once serialised', () => {
    expect(sharedCaptureJson(event(1), { body: capture, bodyJson: '{"x":1}' })).toBe('{"x":1}');
    expect(sharedCaptureJson(event(1), { body: { capture }, bodyJson: '{"capture":{}}' })).toBeUndefined();
    expect(sharedCaptureJson(event(1), { body: capture })).toBeUndefined();
    expect(sharedCaptureJson(undefined, { body: capture, bodyJson: '{}' })).toBeUndefined();
  });
});
