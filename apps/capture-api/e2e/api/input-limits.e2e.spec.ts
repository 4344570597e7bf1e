import { ErrorShape, type FuzzService, send, SHOP_KEY, startFuzzService } from '@capture-gateway/e2e-support';

// The input limits, field by field, on the real service over PostgreSQL: what the fuzz run finds at
// random, asserted here on purpose.
describe('input limits, on PostgreSQL', () => {
  let fuzz: FuzzService;

  beforeAll(async () => {
    fuzz = await startFuzzService(4);
  }, 60_000);
  afterAll(() => fuzz?.close());

  const post = (path: string, body: unknown, key?: string) => fuzz.post(path, body, key);
  const valid = { account: 'multi-us', authorisationId: 'limits-1', amount: { amount: 100, currency: 'USD' } };

  const BAD = ['\u0000', '\ud800', '\udfff', '\u0001', '\u0008', '\u000b', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f'];
  const FIELDS: Array<[string, (bad: string) => unknown, string]> = [
    ['authorisationId', (bad) => ({ ...valid, authorisationId: `a${bad}b` }), 'authorisationId'],
    ['description', (bad) => ({ ...valid, description: `d${bad}` }), 'description'],
    ['a metadata value', (bad) => ({ ...valid, metadata: { note: `v${bad}` } }), 'metadata.note'],
    ['a metadata key', (bad) => ({ ...valid, metadata: { [`k${bad}`]: 'v' } }), 'metadata'],
    ['a providerOptions string', (bad) => ({ ...valid, providerOptions: { splitTo: `x${bad}` } }), 'providerOptions.splitTo'],
    ['a providerOptions key', (bad) => ({ ...valid, providerOptions: { [`k${bad}`]: 'x' } }), 'providerOptions'],
  ];
  test.each(FIELDS)('%s with a control character or invalid Unicode is 400 invalid_request naming it', async (_name, body, param) => {
    for (const bad of BAD) {
      const reply = await post('/v1/captures', body(bad));
      expect({ bad: JSON.stringify(bad), status: reply.status, error: reply.body.error }).toMatchObject({
        bad: JSON.stringify(bad),
        status: 400,
        error: { code: 'invalid_request', param },
      });
    }
  });

  test('tabs and line breaks stay allowed in a description and metadata values, emoji everywhere', async () => {
    const reply = await post('/v1/captures', {
      ...valid,
      authorisationId: 'limits-lines-😀',
      description: 'Order 42\tshipped\r\nsecond line 😀',
      metadata: { note: 'a\nb', clé: 'é' },
    });
    expect(reply.status).toBe(201);
  });

  test('a tab in an authorisation id is refused', async () => {
    expect((await post('/v1/captures', { ...valid, authorisationId: 'a\tb' })).body.error).toMatchObject({
      code: 'invalid_request',
      param: 'authorisationId',
    });
  });

  test.each([
    ['description', { ...valid, description: 'card 4111 1111 1111 1111 12/28' }, 'description'],
    ['description, glued', { ...valid, description: 'PAN5200000000001005' }, 'description'],
    ['a metadata value', { ...valid, metadata: { card: '5200.0000.0000.1005' } }, 'metadata.card'],
    ['a metadata key', { ...valid, metadata: { card_5200000000001005: 'x' } }, 'metadata'],
  ])('a card number in %s is 400 card_number_in_text', async (_name, body, param) => {
    const reply = await post('/v1/captures', body);
    expect({ status: reply.status, error: reply.body.error }).toMatchObject({
      status: 400,
      error: { code: 'card_number_in_text', param },
    });
  });

  test('a list filter with a NUL or a lone surrogate is 400 naming it, not a database error', async () => {
    for (const [query, param] of [
      ['authorisationId=%00', 'authorisationId'],
      ['providerCaptureId=a%1B', 'providerCaptureId'],
      ['authorisationId=%C2%85', 'authorisationId'],
    ]) {
      const answer = await send(fuzz.url, fuzz.agent, {
        route: 'GET /v1/captures',
        method: 'GET',
        path: `/v1/captures?${query}`,
        headers: { authorization: `Bearer ${SHOP_KEY}` },
      });
      expect({ query, status: answer.status, error: (JSON.parse(answer.text) as { error: unknown }).error }).toMatchObject({
        query,
        status: 400,
        error: { code: 'invalid_request', param },
      });
    }
  });

  test('a signed webhook naming a capture with a NUL is refused (200, counted), not a database error', async () => {
    for (const event of [
      { id: 'evt-nul-1', authorisation: 'limits-1', reference: 'ref\u0000x', status: 'captured' },
      { id: 'evt\u0000nul-2', authorisation: 'limits-1', status: 'captured' },
      { id: 'evt-nul-3', authorisation: 'a\ud800', status: 'captured' },
    ]) {
      const body = JSON.stringify({ events: [event] });
      const answer = await send(fuzz.url, fuzz.agent, {
        route: 'POST /v1/webhooks/:account',
        method: 'POST',
        path: '/v1/webhooks/multi-us',
        headers: { 'content-type': 'application/json', ...fuzz.sign(body) },
        body,
      });
      expect({ event: event.id, status: answer.status, body: JSON.parse(answer.text) as unknown }).toMatchObject({
        event: event.id,
        status: 200,
        body: { updates: 1, refused: 1 },
      });
    }
  });

  test('a signed webhook body that is not JSON is 401, not a 500', async () => {
    const body = 'not json';
    const answer = await send(fuzz.url, fuzz.agent, {
      route: 'POST /v1/webhooks/:account',
      method: 'POST',
      path: '/v1/webhooks/multi-us',
      headers: { 'content-type': 'text/plain', ...fuzz.sign(body) },
      body,
    });
    expect(answer.status).toBeLessThan(500);
    expect(ErrorShape.safeParse(JSON.parse(answer.text)).success).toBe(true);
  });

  test('deeply nested providerOptions are 400, not a stack overflow', async () => {
    for (const depth of [9, 1_000, 50_000]) {
      const deep = `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
      const answer = await send(fuzz.url, fuzz.agent, {
        route: 'POST /v1/captures',
        method: 'POST',
        path: '/v1/captures',
        headers: { authorization: `Bearer ${SHOP_KEY}`, 'content-type': 'application/json' },
        body: `{"account":"multi-us","authorisationId":"limits-deep","providerOptions":{"metadata":${deep}}}`,
      });
      const error = (JSON.parse(answer.text) as { error: { code: string; param?: string } }).error;
      // Past the body limit it is 413; within it, 400 naming where the nesting went too deep.
      if (answer.status === 413) expect(error.code).toBe('payload_too_large');
      else
        expect({ depth, status: answer.status, code: error.code, param: error.param }).toEqual({
          depth,
          status: 400,
          code: 'invalid_request',
          param: expect.stringMatching(/^providerOptions\.metadata(\.a)+$/),
        });
    }
  });
});
