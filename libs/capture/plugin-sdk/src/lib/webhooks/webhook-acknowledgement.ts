import type { CaptureUpdate, WebhookAcknowledgement, WebhookHandling } from '../plugin.contract';

/** The longest acknowledgement body sent: providers ask for a word (`[accepted]`), not a document. */
export const MAX_ACKNOWLEDGEMENT_BODY = 1024;

// type "/" subtype, then `; name=value` parameters (a token or a quoted string): never a CR or LF,
// which would let a plugin write headers of its own into the answer.
const TOKEN = "[A-Za-z0-9!#$&^_.+'*`|~-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"\\\\\\r\\n]*"))*$`);

/**
 * What a plugin's `handleWebhook` returned, in the 1.5.0 shape whichever it used: a bare array (every
 * contract before 1.5.0) is the updates with the service's default answer. Anything else is a plugin
 * bug, thrown as such.
 */
export function webhookHandlingOf(result: CaptureUpdate[] | WebhookHandling): WebhookHandling {
  if (Array.isArray(result)) return { updates: result };
  if (result && typeof result === 'object' && Array.isArray(result.updates)) return result;
  throw new TypeError('handleWebhook returned neither an array of updates nor { updates, acknowledge }');
}

/**
 * Why an acknowledgement cannot be sent as it is, or `undefined` when it can: a status outside 2xx
 * (the provider would retry), a content type that is not one media type, a body that is not a string
 * of at most `MAX_ACKNOWLEDGEMENT_BODY` characters, or a body on a 204/205 (which have none).
 */
export function acknowledgementProblem(acknowledgement: WebhookAcknowledgement): string | undefined {
  const { status, contentType, body } = acknowledgement;
  if (!Number.isInteger(status) || status < 200 || status > 299) return `its status ${String(status)} is not a 2xx`;
  if (typeof contentType !== 'string' || !MEDIA_TYPE.test(contentType)) return 'its content type is not one media type';
  if (typeof body !== 'string' || body.length > MAX_ACKNOWLEDGEMENT_BODY) {
    return `its body is not a string of at most ${MAX_ACKNOWLEDGEMENT_BODY} characters`;
  }
  if ((status === 204 || status === 205) && body.length > 0) return `a ${status} has no body`;
  return undefined;
}
