import { plantedCard } from '@capture-gateway/domain/testing';
import fc from 'fast-check';
import {
  BACKENDS,
  call,
  capture,
  getCapture,
  type RealProviders,
  type ServiceProcess,
  SHOP_KEY,
  startProcess,
  startRealProviders,
  storedRowsText,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';

// Issue #23: a card number typed into any string a client or an operator sends is refused with
// card_number_in_text naming the field, and never reaches the database, a log line or an answer.
// Each run plants random valid card numbers, written any way, in every string field.

const RUNS = Number(process.env['CARD_RUNS'] ?? 200);
const WEBHOOK_SECRET = 'whsec_e2e_cards_0123456789';
const TABLES = ['captures', 'capture_status_changes', 'capture_events', 'capture_checks', 'idempotency_keys', 'webhook_events'];

// What a reader would join: JSON escapes and every separator dropped, letters, digits and stars kept.
const joined = (text: string) => text.replace(/\\u[0-9a-fA-F]{4}|\\[nrtbf"\\/]|[^\p{L}\p{N}*]/gu, '');

type Path = Array<string | 0>;
/** `leaf` at `path` under an object: a 0 is the first item of an array. */
const nest = (path: Path, leaf: unknown): unknown =>
  path.reduceRight<unknown>((inner, key) => (key === 0 ? [inner] : { [key]: inner }), leaf);

interface Planting {
  /** The request body with the text in one field. */
  body(text: string): Record<string, unknown>;
  /** The field the refusal names. */
  param: string;
  maxLength: number;
}

const word = fc.string({ unit: fc.constantFrom(...'abcdefghij'), minLength: 1, maxLength: 6 });
const optionsPath = fc.array(fc.oneof({ weight: 4, arbitrary: word }, { weight: 1, arbitrary: fc.constant(0 as const) }), {
  maxLength: 3,
});

/** Every string field of POST /v1/captures, on the PayEngine account. */
function capturePlanting(id: string): fc.Arbitrary<Planting> {
  const base = { account: 'pe-us', authorisationId: `clean-${id}`, amount: usd(1000) };
  return fc.oneof(
    fc.constant({ body: (text: string) => ({ ...base, authorisationId: text }), param: 'authorisationId', maxLength: 128 }),
    fc.constant({ body: (text: string) => ({ ...base, description: text }), param: 'description', maxLength: 255 }),
    word.map((key) => ({
      body: (text: string) => ({ ...base, metadata: { ref: 'x', [key]: text } }),
      param: `metadata.${key}`,
      maxLength: 500,
    })),
    // A record's key is named at the record: the key itself is never echoed.
    fc.constant({ body: (text: string) => ({ ...base, metadata: { ref: 'x', [text]: 'v' } }), param: 'metadata', maxLength: 40 }),
    // PayEngine's metadata is any JSON object: strings and keys at any depth, arrays included.
    fc.tuple(optionsPath, word).map(([path, key]) => ({
      body: (text: string) => ({ ...base, providerOptions: { metadata: { ref: nest([...path, key], text) } } }),
      param: ['providerOptions', 'metadata', 'ref', ...path, key].join('.'),
      maxLength: 500,
    })),
    optionsPath.map((path) => ({
      body: (text: string) => ({ ...base, providerOptions: { metadata: { ref: nest(path, { [text]: 1 }) } } }),
      param: ['providerOptions', 'metadata', 'ref', ...path].join('.'),
      maxLength: 90,
    })),
  );
}

describe.each(BACKENDS)('card numbers planted in every string field, on $name', (backend) => {
  let providers: RealProviders;
  let service: ServiceProcess;
  let database: Awaited<ReturnType<typeof backend.create>>;
  const stamp = `${backend.name}-${Date.now()}`;
  const planted = new Set<string>();
  let n = 0;

  beforeAll(async () => {
    providers = await startRealProviders(WEBHOOK_SECRET);
    database = await backend.create();
    const clients = [
      {
        id: 'shop',
        keys: [{ key: SHOP_KEY, scopes: ['captures:create', 'captures:read', 'captures:resolve'] }],
        accounts: ['pe-us'],
        // Events are written (the outbox), never delivered: the endpoint is not called.
        subscriptions: [{ id: 'orders', url: 'http://127.0.0.1:9/events', secrets: ['whsec_shop_cards_0123456789'] }],
      },
    ];
    const config = { ...providers.config(database.database, clients), events: { delivery: { enabled: false } } };
    service = await startProcess(writeConfig(config), providers.env);
  });

  afterAll(async () => {
    await service?.close();
    await providers?.close();
    await database?.destroy();
  });

  /** Sends `text` in the planted field, checks the refusal, and checks the same body without it passes. */
  async function refused(send: (text: string) => Promise<{ status: number; body: unknown }>, text: string, pan: string, param: string) {
    planted.add(pan);
    const answer = await send(text);
    expect({ status: answer.status, error: (answer.body as { error?: unknown }).error }).toMatchObject({
      status: 400,
      error: { code: 'card_number_in_text', param },
    });
    expect(joined(JSON.stringify(answer.body))).not.toContain(pan);
  }

  test('POST /v1/captures: 400 card_number_in_text naming the field; without the number, the same body captures', async () => {
    await fc.assert(
      fc.asyncProperty(
        capturePlanting(`${stamp}`).chain((planting) => fc.tuple(fc.constant(planting), plantedCard(planting.maxLength))),
        async ([planting, card]) => {
          await refused((text) => capture(service.url, planting.body(text)), card.text, card.pan, planting.param);
          const id = `${stamp}-${n++}`;
          const clean = await capture(service.url, { ...planting.body(`note-${id}`), authorisationId: `clean-${id}` });
          expect({ status: clean.status, error: clean.body.error }).toEqual({ status: 201, error: undefined });
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('POST /v1/captures/:id/resolve: 400 card_number_in_text in reason or providerReference; the capture stays in doubt', async () => {
    const stuck = await capture(service.url, { account: 'pe-us', authorisationId: `timeout-${stamp}`, amount: usd(700) });
    expect(stuck).toMatchObject({ status: 202, body: { status: 'unknown' } });
    const resolve = (body: unknown) => call(service.url, 'POST', `/v1/captures/${stuck.body.id}/resolve`, { body });
    const field = fc.constantFrom(
      { body: (text: string) => ({ status: 'failed', reason: text }), param: 'reason', maxLength: 500 },
      {
        body: (text: string) => ({ status: 'succeeded', reason: 'Provider report', providerReference: text }),
        param: 'providerReference',
        maxLength: 128,
      },
    );
    await fc.assert(
      fc.asyncProperty(
        field.chain((planting) => fc.tuple(fc.constant(planting), plantedCard(planting.maxLength))),
        async ([planting, card]) => {
          await refused((text) => resolve(planting.body(text)), card.text, card.pan, planting.param);
        },
      ),
      { numRuns: RUNS },
    );
    expect((await getCapture(service.url, stuck.body.id)).body.status).toBe('unknown');
    const resolved = await resolve({ status: 'failed', reason: 'Provider report: never captured' });
    expect(resolved).toMatchObject({ status: 200, body: { status: 'failed' } });
  });

  test('no number planted reached a table or a log line', async () => {
    expect(planted.size).toBeGreaterThanOrEqual(RUNS);
    const { stdout } = await (async () => {
      await service.close();
      return service.exited;
    })();
    // The service did work: captures, status changes and events were written and logged.
    expect(stdout).toContain('request completed');
    const tables = await Promise.all(TABLES.map(async (table) => [table, joined(await storedRowsText(database.database, table))] as const));
    expect(tables.find(([table]) => table === 'capture_events')?.[1].length).toBeGreaterThan(100);
    const logs = joined(stdout);
    const leaks = [...planted].flatMap((pan) => [
      ...tables.filter(([, rows]) => rows.includes(pan)).map(([table]) => `${pan} in ${table}`),
      ...(logs.includes(pan) ? [`${pan} in the log`] : []),
    ]);
    expect(leaks).toEqual([]);
  });
});
