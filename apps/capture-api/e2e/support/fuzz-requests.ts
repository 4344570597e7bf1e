import fc from 'fast-check';

/** One generated request: raw path (already percent-encoded), headers, and body bytes. */
export interface FuzzRequest {
  route: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the generators need to know of the running service. */
export interface FuzzTargets {
  keys: { full: string; other: string };
  accounts: readonly string[];
  captureIds: readonly string[];
  eventIds: readonly string[];
  /** Signs a webhook body for an account, as its provider would. */
  sign(body: string): Record<string, string>;
}

// Characters the database cannot store or a field has no use for, and text that is merely unusual.
const nasty = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u009f',
  '\ud800',
  '\udfff',
  '\t',
  '\n',
  '\r\n',
  '\u2028',
  '\ufeff',
  '\uffff',
  '😀',
  'é',
  '\u202e',
  '"',
  '\\',
  '%',
  '{}',
  '4111 1111 1111 1111',
  'PAN5200000000001005',
);
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), nasty, fc.string({ maxLength: 10 })).map(([a, b, c]) => a + b + c) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x'.repeat(129), 'x'.repeat(256), 'x'.repeat(501), 'x'.repeat(10_000)) },
);
// Numbers at and past every bound the API has: 0, 1, 100, 101, MAX_SAFE_INTEGER, fractions, signs.
const number = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    20,
    99,
    100,
    101,
    128,
    129,
    255,
    256,
    500,
    501,
    999_999_999_99,
    1e21,
    2 ** 53 - 1,
    2 ** 53 + 2,
    0.1,
    1.5,
    -1e-300,
    1e308,
    365 * 86_400,
    365 * 86_400 + 1,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const anyValue = fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 4 }), fc.array(text, { maxLength: 3 }));

function nested(depth: number, leaf: unknown, array: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = array ? [value] : { a: value };
  return value;
}
const deep = fc.tuple(fc.integer({ min: 5, max: 1_000 }), fc.boolean()).map(([depth, array]) => nested(depth, 'x', array));
// Deeper than JSON.stringify goes: written as text.
const deepText = fc
  .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.boolean())
  .map(([depth, array]) => (array ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

// Bytes as sent in a path or a query: any UTF-8 (lone surrogates become U+FFFD), raw invalid bytes too.
const percent = (bytes: Uint8Array) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
const urlText = fc.oneof(
  text.map((s) => percent(Buffer.from(s, 'utf8'))),
  fc.uint8Array({ maxLength: 12 }).map(percent),
  fc.string({ unit: fc.constantFrom(...'abcXYZ019_-.~'), maxLength: 20 }),
  fc.constantFrom('', '%', '%zz', '%00', '%ED%A0%80', '..', '%2F', '%2e%2e', 'a/b', '?', '#x'),
);

const captureBody = (targets: FuzzTargets) => {
  const money = fc.record(
    { amount: fc.oneof(number, anyValue), currency: fc.oneof(fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'XAU', 'usd'), text) },
    { requiredKeys: [] },
  );
  const valid = fc.record(
    {
      account: fc.constantFrom(...targets.accounts, 'nope'),
      authorisationId: fc.oneof(
        text.map((s) => `fuzz-${s}`),
        fc.constantFrom('fuzz-ok', 'decline-fuzz', 'timeout-fuzz'),
      ),
      amount: fc.record({ amount: fc.integer({ min: 0, max: 1_000_000 }), currency: fc.constantFrom('USD', 'EUR') }),
      description: text,
      metadata: fc.dictionary(text, text, { maxKeys: 4 }),
      providerOptions: fc.oneof(
        fc.dictionary(text, anyValue, { maxKeys: 3 }),
        deep.map((d) => ({ metadata: d })),
      ),
    },
    { requiredKeys: ['account', 'authorisationId'] },
  );
  const field = fc.constantFrom(
    'account',
    'authorisationId',
    'amount',
    'description',
    'metadata',
    'providerOptions',
    'extra',
    '__proto__',
    'constructor',
  );
  const mutated = fc
    .tuple(valid, field, fc.oneof(anyValue, money, deep, fc.dictionary(text, anyValue, { maxKeys: 60 })))
    .map(([body, key, value]) => {
      const copy: Record<string, unknown> = { ...body };
      Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
      return JSON.stringify(copy);
    });
  // Valid requests, so the generators reach past validation to real captures (201, 402, 409…).
  const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), minLength: 1, maxLength: 12 });
  const clean = fc.record(
    {
      account: fc.constantFrom(targets.accounts[0]!, targets.accounts[0]!, ...targets.accounts),
      authorisationId: fc.tuple(fc.constantFrom('fuzz-', 'decline-', 'pending-'), word).map(([prefix, w]) => prefix + w),
      amount: fc.record({ amount: fc.integer({ min: 1, max: 100_000 }), currency: fc.constantFrom('USD', 'EUR') }),
      description: word,
      metadata: fc.dictionary(word, word, { maxKeys: 3 }),
    },
    { requiredKeys: ['account', 'authorisationId'] },
  );
  return fc.oneof(
    { weight: 3, arbitrary: clean.map((b) => JSON.stringify(b)) },
    { weight: 4, arbitrary: valid.map((b) => JSON.stringify(b)) },
    { weight: 4, arbitrary: mutated },
    { weight: 1, arbitrary: anyValue.map((v) => JSON.stringify(v) ?? '') },
    { weight: 1, arbitrary: deep.map((d) => JSON.stringify(d)) },
    { weight: 1, arbitrary: deepText },
    {
      weight: 1,
      arbitrary: fc
        .tuple(deepText, fc.constantFrom('providerOptions', 'metadata', 'description', 'amount'), fc.boolean())
        .map(
          ([d, field, nestedUnder]) =>
            `{"account":"multi-us","authorisationId":"fuzz-deep","${field}":${nestedUnder ? `{"metadata":${d}}` : d}}`,
        ),
    },
    { weight: 1, arbitrary: text },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '{', '[', 'null', '{}', '[]', '"x"', '0', '{"account":', `{"a":"${'x'.repeat(200_000)}"}`),
    },
  );
};

const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/problem+json',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
  ';;;',
  'application/json; charset=utf-8; charset=utf-16',
);

// Header values as a client may send them: printable Latin-1 (what HTTP allows), sometimes long.
const headerValue = fc.oneof(
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: 40,
  }),
  fc.constantFrom('', ' ', 'x'.repeat(300), 'x'.repeat(7_000)),
);

const query = (keys: readonly string[]) =>
  fc
    .array(
      fc.tuple(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: urlText }),
        fc.oneof(
          urlText,
          number.map(String),
          fc.constantFrom(
            '',
            'unknown',
            'pending',
            'succeeded',
            'capture.updated',
            '2026-11-21T00:00:00Z',
            '2026-13-40T99:99:99Z',
            'cap_00000000',
            'evt_00000000',
          ),
        ),
        fc.boolean(),
      ),
      { maxLength: 5 },
    )
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v, bare]) => (bare ? k : `${k}=${v}`)).join('&')}`));

/** Every route of the API, with odd paths, queries, headers, bodies and keys. */
export function fuzzRequest(targets: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const id = (known: readonly string[], prefix: string) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...known) },
      { weight: 1, arbitrary: urlText },
      { weight: 1, arbitrary: urlText.map((s) => `${prefix}${s}`) },
    );
  const auth = fc.oneof(
    { weight: 12, arbitrary: fc.constant({ authorization: `Bearer ${targets.keys.full}` }) },
    { weight: 1, arbitrary: fc.constant({ authorization: `Bearer ${targets.keys.other}` }) },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: headerValue.map((v) => ({ authorization: v })) },
    { weight: 1, arbitrary: headerValue.map((v) => ({ authorization: `Bearer ${v}` })) },
  );
  const extras = fc.record(
    {
      // Mostly a well-formed key, so bodies get past it to the capture path; sometimes anything.
      'idempotency-key': fc.oneof({ weight: 4, arbitrary: fc.uuid() }, { weight: 1, arbitrary: headerValue }),
      'x-request-id': headerValue,
      accept: headerValue,
      'accept-encoding': headerValue,
      'x-forwarded-for': headerValue,
    },
    { requiredKeys: [] },
  );
  const json = (body: fc.Arbitrary<string>) => fc.tuple(body, contentType).map(([b, type]) => ({ body: b, type }));
  const captureId = id(targets.captureIds, 'cap_');
  const eventId = id(targets.eventIds, 'evt_');
  const resolveBody = fc.oneof(
    fc
      .record(
        { status: fc.oneof(fc.constantFrom('succeeded', 'failed', 'pending'), text), reason: text, capturedAmount: anyValue },
        { requiredKeys: [] },
      )
      .map((b) => JSON.stringify(b)),
    anyValue.map((v) => JSON.stringify(v) ?? ''),
  );
  const webhookBody = fc.oneof(
    fc
      .array(
        fc.record(
          {
            id: text,
            authorisation: fc.oneof(text, fc.constantFrom('fuzz-ok')),
            capture: fc.oneof(fc.constantFrom(...targets.captureIds), text),
            reference: text,
            status: fc.constantFrom('captured', 'declined'),
          },
          { requiredKeys: ['id', 'authorisation', 'status'] },
        ),
        { maxLength: 3 },
      )
      .map((events) => JSON.stringify({ events })),
    anyValue.map((v) => JSON.stringify(v) ?? ''),
    text,
  );

  const routes: fc.Arbitrary<Omit<FuzzRequest, 'headers'> & { headers?: Record<string, string>; type?: string }>[] = [
    // Mostly JSON here, so the valid bodies reach real captures; the odd content types still come.
    fc
      .tuple(
        captureBody(targets),
        fc.oneof({ weight: 2, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType }),
      )
      .map(([body, type]) => ({
        route: 'POST /v1/captures',
        method: 'POST' as const,
        path: '/v1/captures',
        body,
        type,
      })),
    query(['account', 'status', 'createdFrom', 'createdTo', 'authorisationId', 'providerCaptureId', 'olderThan', 'limit', 'cursor']).map(
      (q) => ({ route: 'GET /v1/captures', method: 'GET' as const, path: `/v1/captures${q}` }),
    ),
    captureId.map((c) => ({ route: 'GET /v1/captures/:id', method: 'GET' as const, path: `/v1/captures/${c}` })),
    captureId.map((c) => ({ route: 'GET /v1/captures/:id/history', method: 'GET' as const, path: `/v1/captures/${c}/history` })),
    fc.tuple(captureId, json(resolveBody)).map(([c, { body, type }]) => ({
      route: 'POST /v1/captures/:id/resolve',
      method: 'POST' as const,
      path: `/v1/captures/${c}/resolve`,
      body,
      type,
    })),
    query(['type', 'captureId', 'limit', 'cursor']).map((q) => ({
      route: 'GET /v1/events',
      method: 'GET' as const,
      path: `/v1/events${q}`,
    })),
    eventId.map((e) => ({ route: 'GET /v1/events/:id', method: 'GET' as const, path: `/v1/events/${e}` })),
    eventId.map((e) => ({ route: 'POST /v1/events/:id/redeliver', method: 'POST' as const, path: `/v1/events/${e}/redeliver` })),
    fc
      .tuple(fc.oneof(fc.constantFrom(...targets.accounts), urlText), json(webhookBody), fc.integer({ min: 0, max: 3 }))
      .map(([account, { body, type }, signing]) => ({
        route: 'POST /v1/webhooks/:account',
        method: 'POST' as const,
        path: `/v1/webhooks/${account}`,
        body,
        type,
        headers: signing > 0 ? targets.sign(body) : { 'x-fake-signature': 'nope' },
      })),
    query(['account', 'limit']).map((q) => ({ route: 'GET /v1/providers', method: 'GET' as const, path: `/v1/providers${q}` })),
  ];
  return fc.tuple(fc.oneof(...routes), auth, extras).map(([request, authHeaders, extra]) => {
    const headers: Record<string, string> = { ...extra, ...authHeaders, ...(request.headers ?? {}) };
    if (request.type) headers['content-type'] = request.type;
    return {
      route: request.route,
      method: request.method,
      path: request.path,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    };
  });
}
