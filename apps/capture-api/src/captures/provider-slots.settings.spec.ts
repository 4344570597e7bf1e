import { slotSettingsOf } from './provider-slots.settings';

describe('slotSettingsOf', () => {
  it('fills the defaults from the slots and the timeout', () => {
    expect(slotSettingsOf({ timeoutMs: 10_000, providerSlots: { slots: 64 } })).toEqual({
      slots: 64,
      perClient: 32,
      waitMs: 1_000,
      reconciler: 8,
      retryAfterSeconds: 10,
    });
  });

  it('keeps the default wait under a short timeout, and one reconciler slot on a small pool', () => {
    expect(slotSettingsOf({ timeoutMs: 500, providerSlots: { slots: 3 } })).toMatchObject({
      perClient: 2,
      waitMs: 250,
      reconciler: 1,
      retryAfterSeconds: 1,
    });
  });

  it('takes what the account sets', () => {
    const settings = slotSettingsOf({ timeoutMs: 5_000, providerSlots: { slots: 10, perClient: 4, waitMs: 300, reconciler: 2 } });
    expect(settings).toMatchObject({ slots: 10, perClient: 4, waitMs: 300, reconciler: 2 });
  });
});
