import { secretValues, withoutSecrets } from '@capture-gateway/plugin-sdk';
import { createMemoryLogger } from '@capture-gateway/plugin-sdk/testing';
import { type PayEngineSandbox, startPayEngineSandbox } from '../sandbox';
import { payEnginePlugin } from './payengine.plugin';

const { configSchema, captureOptionsSchema } = payEnginePlugin;

describe('PayEngine plugin configuration', () => {
  const valid = { baseUrl: 'https://payengine.example', secretKey: 'sk_cfg', webhookSecret: 'whsec_cfg' };

  it('defaults the webhook tolerance to 300 s and marks both keys as secrets', () => {
    const config = configSchema.parse(valid);
    expect(config.webhookToleranceSeconds).toBe(300);
    expect(secretValues(configSchema, config).sort()).toEqual(['sk_cfg', 'whsec_cfg']);
    expect(JSON.stringify(withoutSecrets(configSchema, config))).not.toMatch(/sk_cfg|whsec_cfg/);
  });

  it('refuses a config without a secret key, or with a misspelt field', () => {
    expect(configSchema.safeParse({ baseUrl: valid.baseUrl }).success).toBe(false);
    expect(configSchema.safeParse({ ...valid, webhooksecret: 'x' }).success).toBe(false);
  });
});

describe('PayEngine capture options', () => {
  const parse = (value: unknown) => captureOptionsSchema?.safeParse(value);

  it('accepts fees in integer cents and a JSON metadata object, or no options at all', () => {
    expect(parse({ preSettlementFeeCharge: 150, postSettlementFeeCharge: 0, metadata: { a: { b: [1, 'x'] } } })?.success).toBe(true);
    expect(parse(undefined)?.success).toBe(true);
  });

  it.each([
    ['an unknown field', { surcharge: 1 }],
    ['a fee with a fraction of a cent', { preSettlementFeeCharge: 1.5 }],
    ['a fee given as a string', { preSettlementFeeCharge: '1.50' }],
    ['a fee wider than 12 characters', { postSettlementFeeCharge: 100_000_000_000 }],
    ['metadata that is not an object', { metadata: 'customer 123' }],
  ])('refuses %s', (_name, value) => {
    expect(parse(value)?.success).toBe(false);
  });
});

describe('PayEngine capture against the sandbox', () => {
  let sandbox: PayEngineSandbox;
  const logger = createMemoryLogger();
  beforeAll(async () => {
    sandbox = await startPayEngineSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const provider = (secretKey = sandbox.credentials) =>
    payEnginePlugin.create(configSchema.parse({ baseUrl: sandbox.baseUrl, secretKey }), { accountId: 'acct', logger, timeoutMs: 2_000 });
  const capture = (authorisationId: string, amount?: { amount: number; currency: string }, secretKey?: string) =>
    provider(secretKey).capture({ captureId: 'cap_plugin0001', authorisationId, amount, options: undefined }, { requestId: 'req_1' });

  it('refuses an amount PayEngine cannot express before sending anything', async () => {
    const outcome = await capture('wide-1', { amount: 100_000_000_000, currency: 'USD' });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'invalid_request' } });
    expect(sandbox.capturesReceived()).toBe(0);
  });

  it('refuses a currency PayEngine does not take before sending anything', async () => {
    const outcome = await capture('eur-1', { amount: 100, currency: 'EUR' });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'unsupported_by_provider' } });
    expect(sandbox.capturesReceived()).toBe(0);
  });

  it('captures everything authorised when no amount is given', async () => {
    sandbox.authorise('full-1', { amount: 4_321, currency: 'USD' });
    await expect(capture('full-1')).resolves.toMatchObject({ status: 'succeeded', capturedAmount: { amount: 4_321, currency: 'USD' } });
  });

  it('reports a second capture of the same payment as already_captured, and more than authorised as such', async () => {
    sandbox.authorise('twice-1', { amount: 1_000, currency: 'USD' });
    await expect(capture('twice-1', { amount: 1_000, currency: 'USD' })).resolves.toMatchObject({ status: 'succeeded' });
    await expect(capture('twice-1', { amount: 1_000, currency: 'USD' })).resolves.toMatchObject({
      status: 'failed',
      error: { code: 'already_captured' },
    });
    sandbox.authorise('over-1', { amount: 1_000, currency: 'USD' });
    await expect(capture('over-1', { amount: 1_001, currency: 'USD' })).resolves.toMatchObject({
      status: 'failed',
      error: { code: 'amount_exceeds_authorised' },
    });
  });

  it('reports a wrong secret key as provider_auth_failed, with neither key in the outcome or the logs', async () => {
    const wrong = 'sk_wrong_but_secret';
    const outcome = await capture('auth-1', { amount: 100, currency: 'USD' }, wrong);
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'provider_auth_failed' } });
    const everything = [JSON.stringify(outcome), ...logger.lines].join('\n');
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(sandbox.credentials);
  });
});
