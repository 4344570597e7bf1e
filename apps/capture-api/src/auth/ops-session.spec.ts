import { AppConfigSchema } from '../config/config.schemas';
import { ApiClients } from './api-clients';
import { OPS_SESSION_TTL_MS, OpsSessions, readCookie, sessionCookie } from './ops-session';

const KEY = 'operator_key_0123456789abcdef';
const ROTATED = 'operator_key_rotated_0123456789';
// The registry as the config builds it, with one operator key.
const clientsWith = (key: string) =>
  new ApiClients(
    AppConfigSchema.shape.clients.parse([{ id: 'ops', keys: [{ id: 'on-call', key, scopes: ['ops:read'] }], accounts: '*' }]),
    ['mem-us'],
  );

describe('operator sessions', () => {
  let now: number;
  let registry: ApiClients;
  let sessions: OpsSessions;
  const operator = () => {
    const client = registry.authenticate(KEY);
    if (!client) throw new Error('the test key does not authenticate');
    return client;
  };
  const open = () => {
    const opened = sessions.open(operator());
    if (!opened) throw new Error('no session opened');
    return opened;
  };

  beforeEach(() => {
    now = Date.parse('2026-01-01T00:00:00Z');
    registry = clientsWith(KEY);
    sessions = new OpsSessions(
      () => registry,
      () => now,
    );
  });

  test('a session names its client and key, lasts 15 minutes, and holds neither the key nor its hash', () => {
    const { cookie, session } = open();
    expect(session.client).toMatchObject({ id: 'ops', keyId: 'on-call' });
    expect(session.expiresAt.getTime() - now).toBe(OPS_SESSION_TTL_MS);
    expect(Buffer.from(cookie.split('.')[0] ?? '', 'base64url').toString()).not.toContain(KEY);
    expect(cookie).not.toContain(KEY);
    expect(sessions.check(cookie)?.client.id).toBe('ops');
  });

  test('it expires 15 minutes after its last use, and each use past the first minute renews it', () => {
    const { cookie } = open();
    now += 30_000;
    expect(sessions.check(cookie)?.renewed).toBeUndefined();
    now += 10 * 60_000;
    const used = sessions.check(cookie);
    expect(used?.renewed).toBeDefined();
    expect(used?.expiresAt.getTime()).toBe(now + OPS_SESSION_TTL_MS);
    now += 10 * 60_000; // 20.5 min after opening: the old cookie is gone, the renewed one lives
    expect(sessions.check(cookie)).toBeUndefined();
    expect(sessions.check(used?.renewed)?.client.keyId).toBe('on-call');
    now += OPS_SESSION_TTL_MS;
    expect(sessions.check(used?.renewed)).toBeUndefined();
  });

  test('the CSRF token is per session, survives renewal, and anything else does not match', () => {
    const first = open();
    const second = open();
    expect(first.session.csrfToken).not.toBe(second.session.csrfToken);
    now += 5 * 60_000;
    const renewed = sessions.check(first.cookie);
    expect(renewed?.csrfToken).toBe(first.session.csrfToken);
    expect(sessions.csrfMatches(first.session, first.session.csrfToken)).toBe(true);
    expect(sessions.csrfMatches(first.session, second.session.csrfToken)).toBe(false);
    expect(sessions.csrfMatches(first.session, undefined)).toBe(false);
  });

  test('rotating the key (same id, new value) or removing it ends its sessions; another replica checks them', () => {
    const { cookie } = open();
    expect(
      new OpsSessions(
        () => clientsWith(KEY),
        () => now,
      ).check(cookie)?.client.id,
    ).toBe('ops');
    registry = clientsWith(ROTATED);
    expect(sessions.check(cookie)).toBeUndefined();
    registry = new ApiClients([], []);
    expect(sessions.check(cookie)).toBeUndefined();
  });

  test('a tampered, truncated or foreign value is no session, and a signed-out one is revoked here', () => {
    const { cookie } = open();
    const [body, signature] = cookie.split('.');
    const payload = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as Record<string, unknown>;
    const longer = Buffer.from(JSON.stringify({ ...payload, exp: now + 24 * 3600_000 })).toString('base64url');
    for (const value of [`${longer}.${signature}`, body, `${body}.`, `${cookie}.x`, 'garbage', '', undefined]) {
      expect(sessions.check(value)).toBeUndefined();
    }
    sessions.signOut(cookie);
    expect(sessions.check(cookie)).toBeUndefined();
  });

  test('the cookie is HttpOnly, SameSite=Strict, on /, 15 minutes, and Secure only over TLS', () => {
    expect(sessionCookie('v', false)).toBe('cg_ops_session=v; Max-Age=900; Path=/; HttpOnly; SameSite=Strict');
    expect(sessionCookie('v', true)).toContain('; Secure');
    expect(sessionCookie(undefined, true)).toMatch(/^cg_ops_session=; Max-Age=0;/);
    expect(readCookie('a=1; cg_ops_session=abc.def; b=2', 'cg_ops_session')).toBe('abc.def');
    expect(readCookie('a=1', 'cg_ops_session')).toBeUndefined();
  });
});
