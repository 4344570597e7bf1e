import { CaptureOutcomeSchema, type CaptureOutcome, type Money } from '@capture-gateway/domain';
import { pluginFromModule, secretValues, withoutSecrets, type ProviderCaptureRequest } from '@capture-gateway/plugin-sdk';
import { createMemoryLogger, startSandboxServer } from '@capture-gateway/plugin-sdk/testing';
import { SANDBOX_CARD_NUMBER, startPaymentOptionsSandbox, type PaymentOptionsSandbox } from '../sandbox';
import * as entryPoint from '../index';
import { paymentOptionsPlugin } from './paymentoptions.plugin';

// Credentials unlike the sandbox defaults, so a leak of them cannot hide behind a default value.
const CREDENTIALS = { authorizationKey: 'po-auth-7f3a9c2e1b', apiKey: 'po-api-4d8e6b0a5c', merchantId: 'po-merchant-jp' };
const ACCOUNT = { ...CREDENTIALS, currency: 'JPY' };
const jpy = (amount: number): Money => ({ amount, currency: 'JPY' });
const request = (authorisationId: string, amount: Money = jpy(1000)): ProviderCaptureRequest<undefined> => ({
  captureId: 'cap_plugin000001',
  authorisationId,
  amount,
  options: undefined,
});

describe('PaymentOptions plugin against its sandbox', () => {
  let sandbox: PaymentOptionsSandbox;
  const logger = createMemoryLogger();
  const outcomes: CaptureOutcome[] = [];

  async function capture(
    req: ProviderCaptureRequest<undefined>,
    config: Partial<typeof ACCOUNT> & { baseUrl?: string } = {},
    signal?: AbortSignal,
  ) {
    const parsed = paymentOptionsPlugin.configSchema.parse({ baseUrl: sandbox.baseUrl, ...ACCOUNT, ...config });
    const provider = paymentOptionsPlugin.create(parsed, { accountId: 'po-jp', logger, timeoutMs: 2_000 });
    const outcome = CaptureOutcomeSchema.parse(await provider.capture(req, { signal, requestId: 'req_plugin_spec' }));
    outcomes.push(outcome);
    return outcome;
  }

  beforeAll(async () => {
    sandbox = await startPaymentOptionsSandbox(CREDENTIALS);
  });
  beforeEach(() => sandbox.reset());
  afterAll(() => sandbox.close());

  it('is the default export of the library, and marks both credentials secret', () => {
    expect(pluginFromModule(entryPoint)).toBe(paymentOptionsPlugin);
    const config = paymentOptionsPlugin.configSchema.parse({ baseUrl: 'https://api-dev.paymentoptions.com', ...ACCOUNT });
    expect(secretValues(paymentOptionsPlugin.configSchema, config)).toEqual([CREDENTIALS.authorizationKey, CREDENTIALS.apiKey]);
    expect(withoutSecrets(paymentOptionsPlugin.configSchema, config)).toMatchObject({
      authorizationKey: '[REDACTED]',
      apiKey: '[REDACTED]',
    });
    expect(paymentOptionsPlugin.capabilities).toMatchObject({ multipleCaptures: false, partialCapture: true, captureWithoutAmount: false });
  });

  it('captures a transaction once: a second capture is already_captured', async () => {
    sandbox.authorise('txn-once', jpy(1000));
    expect(await capture(request('txn-once', jpy(600)))).toMatchObject({ status: 'succeeded', capturedAmount: jpy(600) });
    expect(await capture(request('txn-once', jpy(400)))).toMatchObject({ status: 'failed', error: { code: 'already_captured' } });
    expect(sandbox.capturesReceived()).toBe(2);
  });

  it('refuses an amount above the authorisation', async () => {
    sandbox.authorise('txn-small', jpy(500));
    expect(await capture(request('txn-small'))).toMatchObject({ status: 'failed', error: { code: 'amount_exceeds_authorised' } });
  });

  it('needs the account to name its currency, an ISO 4217 code', () => {
    const base = { baseUrl: 'https://api-dev.paymentoptions.com', ...CREDENTIALS };
    expect(paymentOptionsPlugin.configSchema.safeParse(base).error?.issues[0]?.path).toEqual(['currency']);
    expect(paymentOptionsPlugin.configSchema.safeParse({ ...base, currency: 'jpy' }).success).toBe(false);
    expect(paymentOptionsPlugin.configSchema.safeParse({ ...base, currency: 'XYZ' }).success).toBe(false);
    // Strict: a misspelt field stops start-up rather than being ignored.
    expect(paymentOptionsPlugin.configSchema.safeParse({ ...base, currency: 'JPY', merchantID: 'm' }).error?.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['merchantID'],
    });
    // Capabilities stay provider-wide: the account's currency does not narrow GET /v1/providers.
    expect(paymentOptionsPlugin.capabilities.currencies).toBe('any');
  });

  it("refuses a capture in another currency than the account's with currency_mismatch, sending nothing", async () => {
    sandbox.authorise('txn-jpy-only', jpy(1000));
    const outcome = await capture(request('txn-jpy-only', { amount: 1000, currency: 'USD' }));
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'currency_mismatch' } });
    expect(sandbox.capturesReceived()).toBe(0);
  });

  it('flags a capture in another currency than asked as unknown currency_mismatch, keeping its references', async () => {
    // A USD account whose transaction was authorised in JPY: sent, and the answer's currency gives it away.
    sandbox.authorise('txn-jpy', jpy(1000));
    const outcome = await capture(request('txn-jpy', { amount: 1000, currency: 'USD' }), { currency: 'USD' });
    expect(outcome).toMatchObject({ status: 'unknown', error: { code: 'currency_mismatch' }, card: { last4: '1005' } });
    expect(outcome.references.captureId).toEqual(expect.any(String));
  });

  it('reports an unknown transaction, wrong credentials and a wrong merchant id as failures', async () => {
    expect(await capture(request('notfound-1'))).toMatchObject({ status: 'failed', error: { code: 'authorisation_not_found' } });
    expect(await capture(request('txn-1'), { apiKey: 'wrong-api-key' })).toMatchObject({
      status: 'failed',
      error: { code: 'provider_auth_failed' },
    });
    expect(await capture(request('txn-1'), { authorizationKey: 'wrong-auth' })).toMatchObject({
      status: 'failed',
      error: { code: 'provider_auth_failed' },
    });
    expect(await capture(request('txn-1'), { merchantId: 'someone-else' })).toMatchObject({
      status: 'failed',
      error: { code: 'provider_auth_failed' },
    });
  });

  it('sends nothing without an amount', async () => {
    expect(await capture({ ...request('txn-2'), amount: undefined })).toMatchObject({
      status: 'failed',
      error: { code: 'unsupported_by_provider' },
    });
    expect(sandbox.capturesReceived()).toBe(0);
  });

  it('calls a base URL with the path in it a misconfiguration, not an unknown transaction', async () => {
    const outcome = await capture(request('txn-3'), { baseUrl: `${sandbox.baseUrl}/api/v1` });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'provider_response_invalid' } });
  });

  it('treats an aborted call as unknown', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    expect(await capture(request('timeout-4'), {}, controller.signal)).toMatchObject({ status: 'unknown' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('lets neither credential nor the full card number out in any outcome or log line', async () => {
    // A hostile provider that echoes everything it was sent, and the card, in its error.
    const echo = await startSandboxServer(({ headers }) => ({
      status: 400,
      json: {
        success: false,
        gateway_response: { code: String(headers['x-api-key']), message: `${headers['authorization']} ${SANDBOX_CARD_NUMBER}` },
      },
    }));
    const echoed = await capture(request('txn-echo'), { baseUrl: echo.baseUrl });
    await echo.close();
    expect(echoed).toMatchObject({ status: 'failed', error: { provider: { code: '[REDACTED]' } } });
    await capture(request('garbage-5'));
    await capture(request('txn-5'));

    const everything = [...outcomes.map((o) => JSON.stringify(o)), ...logger.lines].join('\n');
    expect(outcomes.length).toBeGreaterThan(10);
    expect(logger.lines.some((line) => line.includes('"last4":"1005"'))).toBe(true);
    for (const value of [CREDENTIALS.authorizationKey, CREDENTIALS.apiKey, SANDBOX_CARD_NUMBER]) expect(everything).not.toContain(value);
  });
});
