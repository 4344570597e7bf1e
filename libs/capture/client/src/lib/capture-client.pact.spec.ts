import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureApiError } from './capture-api.error.js';
import { createCaptureClient } from './capture-client.js';

const { like, regex, eachLike, integer, string } = MatchersV3;

// The client may depend on the domain only, so it finds the workspace's pacts/ folder itself.
const pactsDir = join(__dirname, '../../../../../pacts');
rmSync(join(pactsDir, 'capture-client-capture-api.json'), { force: true });
const pact = new PactV4({ consumer: 'capture-client', provider: 'capture-api', dir: pactsDir, logLevel: 'warn' });

// The service verifying this pact configures a client with exactly this key (keys are at least 16 characters).
const API_KEY = 'pact-client-api-key-0001';
const auth = { Authorization: regex('^Bearer \\S+$', `Bearer ${API_KEY}`) };
const json = { 'Content-Type': regex('application/json.*', 'application/json; charset=utf-8') };
const captureId = regex('^cap_[0-9A-Za-z]{8,64}$', 'cap_01JD9Z8X7W6V5T4S3R2Q1P0N9M');
const timestamp = regex('^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$', '2026-11-21T10:00:00.000Z');

const record = (overrides: Record<string, unknown>) => ({
  id: captureId,
  account: 'po-sandbox',
  provider: 'paymentoptions',
  authorisationId: string('e0b0731e-7170-4b64-8a21-7d835eebd641'),
  status: 'succeeded',
  providerReferences: like({}),
  createdAt: timestamp,
  updatedAt: timestamp,
  ...overrides,
});

const client = (baseUrl: string, apiKey = API_KEY) => createCaptureClient({ baseUrl, apiKey, timeout: 5_000, retry: { limit: 0 } });

describe('capture-client -> capture-api contract', () => {
  it('creates a capture that succeeds', () =>
    pact
      .addInteraction()
      .given('authorisation e0b0731e-7170-4b64-8a21-7d835eebd641 on account po-sandbox will be captured')
      .uponReceiving('a capture of 1000 JPY')
      .withRequest('POST', '/v1/captures', (b) =>
        b.headers({ ...auth, 'Idempotency-Key': 'key-create-succeeded' }).jsonBody({
          account: 'po-sandbox',
          authorisationId: 'e0b0731e-7170-4b64-8a21-7d835eebd641',
          amount: { amount: 1000, currency: 'JPY' },
        }),
      )
      .willRespondWith(201, (b) =>
        b
          .headers(json)
          .jsonBody(
            record({ requestedAmount: { amount: 1000, currency: 'JPY' }, capturedAmount: { amount: integer(1000), currency: 'JPY' } }),
          ),
      )
      .executeTest(async (mock) => {
        const capture = await client(mock.url).captures.create(
          { account: 'po-sandbox', authorisationId: 'e0b0731e-7170-4b64-8a21-7d835eebd641', amount: { amount: 1000, currency: 'JPY' } },
          { idempotencyKey: 'key-create-succeeded' },
        );
        expect(capture.status).toBe('succeeded');
        expect(capture.capturedAmount).toEqual({ amount: 1000, currency: 'JPY' });
        expect(capture.id).toMatch(/^cap_/);
      }));

  it('creates a capture that waits for the provider', () =>
    pact
      .addInteraction()
      .given('authorisation pending-4126266e on account pe-sandbox will wait for 3-D Secure')
      .uponReceiving('a capture the provider holds as pending')
      .withRequest('POST', '/v1/captures', (b) =>
        b
          .headers({ ...auth, 'Idempotency-Key': 'key-create-pending' })
          .jsonBody({ account: 'pe-sandbox', authorisationId: 'pending-4126266e', amount: { amount: 15000, currency: 'USD' } }),
      )
      .willRespondWith(202, (b) =>
        b
          .headers(json)
          .jsonBody(record({ account: 'pe-sandbox', provider: 'payengine', authorisationId: 'pending-4126266e', status: 'pending' })),
      )
      .executeTest(async (mock) => {
        const capture = await client(mock.url).captures.create(
          { account: 'pe-sandbox', authorisationId: 'pending-4126266e', amount: { amount: 15000, currency: 'USD' } },
          { idempotencyKey: 'key-create-pending' },
        );
        expect(capture.status).toBe('pending');
      }));

  it('reports a decline as a typed error carrying the provider code and the capture id', () =>
    pact
      .addInteraction()
      .given('authorisation decline-e0b0731e on account po-sandbox will be declined')
      .uponReceiving('a capture the provider declines')
      .withRequest('POST', '/v1/captures', (b) =>
        b
          .headers({ ...auth, 'Idempotency-Key': 'key-create-declined' })
          .jsonBody({ account: 'po-sandbox', authorisationId: 'decline-e0b0731e', amount: { amount: 1000, currency: 'JPY' } }),
      )
      .willRespondWith(402, (b) =>
        b.headers(json).jsonBody({
          error: { code: 'provider_declined', message: string('PaymentOptions declined the capture'), provider: like({ code: 'ERR0051' }) },
          capture: record({ authorisationId: 'decline-e0b0731e', status: 'failed' }),
          requestId: string('req_01'),
        }),
      )
      .executeTest(async (mock) => {
        const error = await client(mock.url)
          .captures.create(
            { account: 'po-sandbox', authorisationId: 'decline-e0b0731e', amount: { amount: 1000, currency: 'JPY' } },
            { idempotencyKey: 'key-create-declined' },
          )
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CaptureApiError);
        expect(error).toMatchObject({ code: 'provider_declined', status: 402, capture: { status: 'failed' } });
        expect((error as CaptureApiError).capture?.id).toMatch(/^cap_/);
        expect((error as CaptureApiError).provider?.code).toBeTruthy();
      }));

  it('reports a validation error with the field at fault', () =>
    pact
      .addInteraction()
      .uponReceiving('a capture with a fractional amount')
      .withRequest('POST', '/v1/captures', (b) =>
        b
          .headers({ ...auth, 'Idempotency-Key': 'key-create-invalid' })
          .jsonBody({ account: 'po-sandbox', authorisationId: 'e0b0731e', amount: { amount: 10.5, currency: 'JPY' } }),
      )
      .willRespondWith(400, (b) =>
        b.headers(json).jsonBody({
          error: { code: 'invalid_request', message: string('Invalid input'), param: 'amount.amount' },
          requestId: string('req_02'),
        }),
      )
      .executeTest(async (mock) => {
        const error = await client(mock.url)
          .captures.create(
            { account: 'po-sandbox', authorisationId: 'e0b0731e', amount: { amount: 10.5, currency: 'JPY' } },
            { idempotencyKey: 'key-create-invalid' },
          )
          .catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'invalid_request', param: 'amount.amount', status: 400 });
      }));

  it('replays the stored answer for a repeated idempotency key', () =>
    pact
      .addInteraction()
      .given('a capture of authorisation replay-e0b0731e on account po-sandbox was made with idempotency key key-replayed')
      .uponReceiving('the same capture again with the same idempotency key')
      .withRequest('POST', '/v1/captures', (b) =>
        b
          .headers({ ...auth, 'Idempotency-Key': 'key-replayed' })
          .jsonBody({ account: 'po-sandbox', authorisationId: 'replay-e0b0731e', amount: { amount: 1000, currency: 'JPY' } }),
      )
      .willRespondWith(201, (b) => b.headers(json).jsonBody(record({ authorisationId: 'replay-e0b0731e' })))
      .executeTest(async (mock) => {
        const capture = await client(mock.url).captures.create(
          { account: 'po-sandbox', authorisationId: 'replay-e0b0731e', amount: { amount: 1000, currency: 'JPY' } },
          { idempotencyKey: 'key-replayed' },
        );
        expect(capture.status).toBe('succeeded');
      }));

  it('reports an unknown capture as not_found', () =>
    pact
      .addInteraction()
      .given('no capture has id cap_0000000000doesnotexist')
      .uponReceiving('a read of a capture that does not exist')
      .withRequest('GET', '/v1/captures/cap_0000000000doesnotexist', (b) => b.headers(auth))
      .willRespondWith(404, (b) =>
        b.headers(json).jsonBody({
          error: { code: 'not_found', message: string('No capture cap_0000000000doesnotexist') },
          requestId: string('req_03'),
        }),
      )
      .executeTest(async (mock) => {
        await expect(client(mock.url).captures.get('cap_0000000000doesnotexist')).rejects.toMatchObject({ code: 'not_found', status: 404 });
      }));

  it('reports a wrong API key as unauthenticated', () =>
    pact
      .addInteraction()
      .uponReceiving('a list with an API key the service does not know')
      .withRequest('GET', '/v1/captures', (b) => b.headers({ Authorization: 'Bearer wrong-key' }))
      .willRespondWith(401, (b) =>
        b.headers(json).jsonBody({ error: { code: 'unauthenticated', message: string('Unknown API key') }, requestId: string('req_04') }),
      )
      .executeTest(async (mock) => {
        await expect(client(mock.url, 'wrong-key').captures.list()).rejects.toMatchObject({ code: 'unauthenticated', status: 401 });
      }));

  it('lists a page of captures with a cursor to the next', () =>
    pact
      .addInteraction()
      .given('captures of account po-sandbox exist')
      .uponReceiving("a list of one account's captures, two per page")
      .withRequest('GET', '/v1/captures', (b) => b.headers(auth).query({ account: 'po-sandbox', limit: '2' }))
      .willRespondWith(200, (b) => b.headers(json).jsonBody({ data: eachLike(record({}), 1), nextCursor: string('eyJpZCI6ImNhcF8wMSJ9') }))
      .executeTest(async (mock) => {
        const page = await client(mock.url).captures.list({ account: 'po-sandbox', limit: 2 });
        expect(page.data.length).toBeGreaterThan(0);
        expect(page.data[0]?.account).toBe('po-sandbox');
        expect(typeof page.nextCursor).toBe('string');
      }));
});
