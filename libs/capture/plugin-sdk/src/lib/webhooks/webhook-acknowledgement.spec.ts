import type { CaptureUpdate, WebhookAcknowledgement } from '../plugin.contract';
import { MAX_ACKNOWLEDGEMENT_BODY, acknowledgementProblem, webhookHandlingOf } from './webhook-acknowledgement';

const update: CaptureUpdate = {
  eventId: 'evt_1',
  authorisationId: 'auth_1',
  outcome: { status: 'succeeded', references: {} },
};
const accepted: WebhookAcknowledgement = { status: 200, contentType: 'text/plain; charset=utf-8', body: '[accepted]' };

describe('webhookHandlingOf', () => {
  it('reads a bare array (every contract before 1.5.0) as the updates with the default answer', () => {
    expect(webhookHandlingOf([update])).toEqual({ updates: [update] });
    expect(webhookHandlingOf([])).toEqual({ updates: [] });
  });

  it('keeps the updates and the acknowledgement of the 1.5.0 shape', () => {
    expect(webhookHandlingOf({ updates: [update], acknowledge: accepted })).toEqual({ updates: [update], acknowledge: accepted });
  });

  it('throws for anything else: a plugin bug, never an empty delivery', () => {
    for (const wrong of [undefined, null, {}, { updates: 'x' }, 'updates']) {
      expect(() => webhookHandlingOf(wrong as never)).toThrow(TypeError);
    }
  });
});

describe('acknowledgementProblem', () => {
  it("accepts Adyen's [accepted] as text, a JSON body and an empty 202 or 204", () => {
    expect(acknowledgementProblem(accepted)).toBeUndefined();
    expect(acknowledgementProblem({ status: 200, contentType: 'application/json', body: '{"ok":true}' })).toBeUndefined();
    expect(acknowledgementProblem({ status: 202, contentType: 'text/plain', body: '' })).toBeUndefined();
    expect(acknowledgementProblem({ status: 204, contentType: 'text/plain', body: '' })).toBeUndefined();
    expect(acknowledgementProblem({ status: 200, contentType: 'text/plain; charset="utf-8"', body: 'ok' })).toBeUndefined();
  });

  it.each([
    ['a status that would make the provider retry', { ...accepted, status: 500 }, 'not a 2xx'],
    ['a redirect', { ...accepted, status: 302 }, 'not a 2xx'],
    ['a status that is not a whole number', { ...accepted, status: 200.5 }, 'not a 2xx'],
    ['a content type with a line break (a header of its own)', { ...accepted, contentType: 'text/plain\r\nSet-Cookie: a=b' }, 'media type'],
    ['a content type that is not a media type', { ...accepted, contentType: 'accepted' }, 'media type'],
    ['a body too long', { ...accepted, body: 'x'.repeat(MAX_ACKNOWLEDGEMENT_BODY + 1) }, 'at most'],
    ['a body that is not a string', { ...accepted, body: 42 as unknown as string }, 'at most'],
    ['a body on a 204', { status: 204, contentType: 'text/plain', body: '[accepted]' }, 'has no body'],
  ])('refuses %s', (_, acknowledgement, words) => {
    expect(acknowledgementProblem(acknowledgement)).toContain(words);
  });
});
