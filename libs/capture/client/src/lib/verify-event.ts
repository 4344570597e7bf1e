import { parseSignatureHeader } from '@capture-gateway/domain';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CaptureEvent, CaptureEventType, StatusSource } from './capture-event.types.js';
import type { CaptureStatus } from './capture.types.js';

/** The header carrying `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. */
export const SIGNATURE_HEADER = 'Capture-Signature';
export const EVENT_ID_HEADER = 'Capture-Event-Id';
export const EVENT_TYPE_HEADER = 'Capture-Event-Type';

/** Why an event was refused. Stable: branch on it, log it. */
export type EventVerificationReason =
  'missing_header' | 'malformed_header' | 'stale_timestamp' | 'no_matching_signature' | 'malformed_body';

/** Thrown by `verifyEvent`. Its message never contains a secret. Answer 400 (or 401) and do not act on the body. */
export class EventVerificationError extends Error {
  override readonly name = 'EventVerificationError';

  constructor(
    readonly reason: EventVerificationReason,
    message: string,
  ) {
    super(message);
  }
}

export interface VerifyEventOptions {
  /** How far the signature's timestamp may be from now, either way, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** The time to check the timestamp against. Default: the current time. */
  now?: Date;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

const STATUSES: readonly CaptureStatus[] = ['pending', 'succeeded', 'failed', 'unknown'];
const SOURCES: readonly StatusSource[] = ['api', 'webhook', 'reconciler', 'operator'];
const EVENT_ID = /^evt_[0-9A-Za-z]{8,64}$/;

/**
 * Checks that an event comes from the Capture Gateway and returns it, typed. Server-side only (it
 * uses `node:crypto`).
 *
 * - `rawBody`: the request body exactly as received, never a re-serialised object.
 * - `header`: the `Capture-Signature` header.
 * - `secrets`: your endpoint's signing secret, or several while one is being rotated.
 *
 * Throws an `EventVerificationError` with a `reason` when the header is missing or malformed, its
 * timestamp is further than `toleranceSeconds` from now (either way), no `v1` signature matches a
 * secret, or the body is not a capture event.
 */
export function verifyEvent(
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  secrets: string | readonly string[],
  options: VerifyEventOptions = {},
): CaptureEvent {
  if (header === undefined || header === null || header.trim() === '') {
    throw new EventVerificationError('missing_header', `No ${SIGNATURE_HEADER} header`);
  }
  const { timestamp, signatures } = parseHeader(header);

  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (!Number.isFinite(tolerance) || tolerance < 0) throw new TypeError('toleranceSeconds must be a number of seconds, 0 or more');
  if (Math.abs(now - timestamp) > tolerance) {
    throw new EventVerificationError(
      'stale_timestamp',
      `The signature's timestamp ${timestamp} is ${now - timestamp} s from now (tolerance ${tolerance} s)`,
    );
  }

  const keys = (typeof secrets === 'string' ? [secrets] : [...secrets]).filter((secret) => secret.length > 0);
  if (keys.length === 0) throw new TypeError('verifyEvent needs at least one non-empty signing secret');

  const body =
    typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), body]);
  const expected = keys.map((secret) => createHmac('sha256', secret).update(signed).digest());
  // Every signature against every secret, without stopping early: how long this takes says nothing
  // about which one matched.
  let matched = false;
  for (const signature of signatures) {
    for (const digest of expected) {
      if (signature.length === digest.length && timingSafeEqual(signature, digest)) matched = true;
    }
  }
  if (!matched) {
    throw new EventVerificationError(
      'no_matching_signature',
      `None of the ${signatures.length} v1 signature(s) matches any of the ${keys.length} secret(s)`,
    );
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new EventVerificationError('malformed_body', 'The body is not JSON');
  }
  const problem = eventProblem(parsed);
  if (problem) throw new EventVerificationError('malformed_body', `The body is not a capture event: ${problem}`);
  return parsed as CaptureEvent;
}

// The domain's parser of the `t=,v1=` shape (shared with the providers' webhooks), compiled into the package.
function parseHeader(header: string): { timestamp: number; signatures: Buffer[] } {
  const parsed = parseSignatureHeader(header);
  if (!parsed.ok) throw new EventVerificationError('malformed_header', `${SIGNATURE_HEADER} ${parsed.message}`);
  return { timestamp: parsed.timestamp, signatures: parsed.signatures.map((signature) => Buffer.from(signature, 'hex')) };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What is wrong with a parsed body, or undefined for a capture event. Unknown extra fields are allowed. */
function eventProblem(event: unknown): string | undefined {
  if (!isObject(event)) return 'not a JSON object';
  if (typeof event['id'] !== 'string' || !EVENT_ID.test(event['id'])) return 'id is not an evt_ id';
  const type = event['type'];
  if (typeof type !== 'string' || !STATUSES.some((status) => `capture.${status}` === type)) return 'type is not a known capture event type';
  if (typeof event['createdAt'] !== 'string' || Number.isNaN(Date.parse(event['createdAt']))) return 'createdAt is not a date-time';
  const sequence = event['sequence'];
  if (typeof sequence !== 'number' || !Number.isInteger(sequence) || sequence < 1) return 'sequence is not an integer from 1';
  const data = event['data'];
  if (!isObject(data)) return 'data is not an object';
  if (typeof data['source'] !== 'string' || !SOURCES.includes(data['source'] as StatusSource)) return 'data.source is not known';
  const previous = data['previousStatus'];
  if (previous !== undefined && !STATUSES.includes(previous as CaptureStatus)) return 'data.previousStatus is not a status';
  const capture = data['capture'];
  if (!isObject(capture)) return 'data.capture is not an object';
  for (const field of ['id', 'account', 'provider', 'authorisationId', 'createdAt', 'updatedAt'] as const) {
    if (typeof capture[field] !== 'string') return `data.capture.${field} is not a string`;
  }
  if (!isObject(capture['providerReferences'])) return 'data.capture.providerReferences is not an object';
  if (`capture.${String(capture['status'])}` !== (type as CaptureEventType)) return `data.capture.status does not match type ${type}`;
  return undefined;
}
