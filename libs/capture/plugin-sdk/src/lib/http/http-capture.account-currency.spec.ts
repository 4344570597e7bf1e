import { z } from 'zod';
import { createMemoryLogger, startScriptedProvider, type ScriptedProvider } from '../../testing';
import { capabilityRefusal } from '../capability-check';
import { defineHttpCapturePlugin } from './http-capture.plugin';

// A provider whose API takes no currency: each account names the one it captures in.
const acme = defineHttpCapturePlugin({
  id: 'acme',
  displayName: 'Acme',
  version: '0.0.1',
  configSchema: z.object({ baseUrl: z.url(), currency: z.string() }),
  capabilities: { partialCapture: true, multipleCaptures: false, captureWithoutAmount: false, webhooks: false, currencies: 'any' },
  accountCurrencies: (config) => [config.currency],
  path: 'capture',
  headers: () => ({}),
  toWire: (request) => ({ amount: request.amount?.amount }),
  answerSchema: z.object({ amount: z.int(), currency: z.string() }),
  readAnswer: (body, { money }) => ({ status: 'succeeded', capturedAmount: money.fromMinorUnitInteger(body.amount, body.currency) }),
  errorSchema: z.unknown(),
  readError: () => undefined,
  errorCodes: {},
});

const request = (currency: string) => ({
  captureId: 'cap_1',
  authorisationId: 'auth_1',
  amount: { amount: 1000, currency },
  options: undefined,
});

describe("an account's own currencies", () => {
  let provider: ScriptedProvider;
  beforeAll(async () => (provider = await startScriptedProvider(acme, (baseUrl) => ({ baseUrl, currency: 'JPY' }))));
  afterAll(() => provider.close());

  it('are declared by the provider the account gets, for the service to check before it stores anything', () => {
    const created = acme.create(
      { baseUrl: 'http://127.0.0.1:9', currency: 'JPY' },
      { accountId: 'a', logger: createMemoryLogger(), timeoutMs: 100 },
    );
    expect(created.accountCurrencies).toEqual(['JPY']);
    expect(capabilityRefusal({ ...acme, accountCurrencies: created.accountCurrencies }, request('USD'))).toMatchObject({
      code: 'currency_mismatch',
      param: 'amount.currency',
    });
  });

  it('refuse another currency as currency_mismatch, naming the account currency, and send nothing', async () => {
    const outcome = await provider.answer({ status: 201, json: { amount: 1000, currency: 'USD' } }, request('USD'));
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { code: 'currency_mismatch', message: 'This Acme account captures in JPY only, not USD; nothing was sent' },
    });
    expect(provider.received).toEqual([]);
  });

  it("let the account's currency through", async () => {
    const outcome = await provider.answer({ status: 201, json: { amount: 1000, currency: 'JPY' } }, request('JPY'));
    expect(outcome).toMatchObject({ status: 'succeeded', capturedAmount: { amount: 1000, currency: 'JPY' } });
    expect(provider.received).toEqual(['POST /capture']);
  });
});
