import { type CaptureRecord, CaptureRecordSchema } from '@capture-gateway/domain';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { CREATE_CAPTURE_RESPONSES } from './capture-response.schemas';

// Every field a record can carry, nested ones included (records of metadata and provider references).
const EVERY_FIELD: CaptureRecord = {
  id: 'cap_01JABCDEFGHJKMNPQRSTVWXYZ',
  account: 'acme-eu',
  provider: 'payengine',
  authorisationId: 'auth "quoted" \\ \u00e9',
  requestedAmount: { amount: 1500, currency: 'EUR' },
  capturedAmount: { amount: 1499, currency: 'EUR' },
  status: 'failed',
  error: { code: 'provider_declined', message: 'Declined', provider: { code: '05', message: 'Do not honour' } },
  providerReferences: { captureId: 'pe_1', authCode: 'A1', other: { batch: '7', 'settlement-id': 's-9' } },
  card: { brand: 'visa', last4: '4242' },
  description: 'two\nlines',
  metadata: { order: 'o-1', 'customer id': 'c-2' },
  final: false,
  createdAt: '2026-12-05T10:00:00.000Z',
  updatedAt: '2026-12-05T10:00:01.000Z',
};

// What Fastify really sends with the route's `schema.response` (fast-json-stringify, compiled at ready).
async function served(status: 201 | 202, record: unknown): Promise<string> {
  const fastify = new FastifyAdapter().getInstance() as unknown as FastifyInstance;
  fastify.get('/', { schema: { response: CREATE_CAPTURE_RESPONSES } }, async (_request, reply) => reply.status(status).send(record));
  const res = await fastify.inject({ method: 'GET', url: '/' });
  await fastify.close();
  return res.body;
}

describe('the schema-serialised capture answer', () => {
  test('the fixture holds every field of the record schema', () => {
    expect(Object.keys(EVERY_FIELD).sort()).toEqual(Object.keys(CaptureRecordSchema.shape).sort());
    expect(CaptureRecordSchema.parse(EVERY_FIELD)).toEqual(EVERY_FIELD);
  });

  test.each([201, 202] as const)('%i: a record with every field serialises to the same JSON as JSON.stringify', async (status) => {
    const body = await served(status, EVERY_FIELD);
    // Same members and values (fast-json-stringify writes required properties first: only the order differs).
    expect(JSON.parse(body)).toStrictEqual(JSON.parse(JSON.stringify(EVERY_FIELD)));
    expect(body.length).toBe(JSON.stringify(EVERY_FIELD).length);
  });

  test('a minimal record keeps its empty provider references and gains nothing', async () => {
    const { id, account, provider, authorisationId, createdAt, updatedAt } = EVERY_FIELD;
    const minimal = { id, account, provider, authorisationId, status: 'unknown', providerReferences: {}, createdAt, updatedAt };
    expect(JSON.parse(await served(202, minimal))).toStrictEqual(minimal);
  });
});
