/**
 * The `t=<unix seconds>,v1=<signature>[,v1=<signature>…]` header shape: PayEngine's
 * `x-payengine-signature`, Stripe's `Stripe-Signature` and the gateway's own `Capture-Signature`.
 * Parsing only: what the signatures are checked against is the caller's (this library does no I/O
 * and no cryptography).
 */

/** Longer than this is refused before it is split: a real header is a few hundred characters. */
export const MAX_SIGNATURE_HEADER_LENGTH = 4096;

/** A v1 signature is an HMAC-SHA256 in hex (either case); other v1 values can match nothing. */
const V1_SIGNATURE = /^[0-9a-f]{64}$/i;
// Unix seconds; 12 digits reach the year 33658, and keep Number() exact.
const UNIX_SECONDS = /^\d{1,12}$/;

/** Why a header was refused. Stable: callers map it onto their own refusal. */
export type SignatureHeaderProblem = 'too_long' | 'no_timestamp' | 'bad_timestamp' | 'no_signature';

export type SignatureHeaderResult =
  { ok: true; timestamp: number; signatures: string[] } | { ok: false; problem: SignatureHeaderProblem; message: string };

/**
 * Reads the header's timestamp and every well-formed `v1` signature (several during a secret's
 * rotation), in order, as written. Whitespace around parts, keys and values is ignored, and so are
 * other schemes (`v0=`), unknown keys, parts without `=` and empty parts; a `v1` that is not 64 hex
 * digits is skipped, so one odd entry does not hide a good one. Refused: a header longer than
 * `maxLength`, no `t=`, a `t=` that is not unix seconds or comes twice, no well-formed `v1`.
 * The message says what is wrong without quoting the header; callers name the header.
 */
export function parseSignatureHeader(value: string, maxLength = MAX_SIGNATURE_HEADER_LENGTH): SignatureHeaderResult {
  if (value.length > maxLength) return refused('too_long', `is longer than ${maxLength} characters`);
  let timestamp: string | undefined;
  let timestamps = 0;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const at = part.indexOf('=');
    if (at === -1) continue;
    const key = part.slice(0, at).trim();
    const text = part.slice(at + 1).trim();
    if (key === 't') {
      timestamps++;
      timestamp = text;
    } else if (key === 'v1' && V1_SIGNATURE.test(text)) {
      signatures.push(text);
    }
  }
  if (timestamp === undefined) return refused('no_timestamp', 'has no t=<unix seconds>');
  // Two timestamps leave it open which one was signed: refused rather than guessed.
  if (timestamps > 1) return refused('bad_timestamp', 'has more than one t=');
  if (!UNIX_SECONDS.test(timestamp)) return refused('bad_timestamp', 'has a t= that is not a number of unix seconds');
  if (signatures.length === 0) return refused('no_signature', 'has no v1= signature of 64 hex digits');
  return { ok: true, timestamp: Number(timestamp), signatures };
}

function refused(problem: SignatureHeaderProblem, message: string): SignatureHeaderResult {
  return { ok: false, problem, message };
}
