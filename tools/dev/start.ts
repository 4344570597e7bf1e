// Must run before any import of @capture-gateway/client (see ts-resolve.ts).
import './ts-resolve';
import { startAdyenSandbox } from '@capture-gateway/provider-adyen/sandbox';
import { startPayEngineSandbox } from '@capture-gateway/provider-payengine/sandbox';
import { startPaymentOptionsSandbox } from '@capture-gateway/provider-paymentoptions/sandbox';
import { startStripeSandbox } from '@capture-gateway/provider-stripe/sandbox';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startEventSink } from './event-sink';
import { type DevPort, assertPortsFree, explainListenError, portFrom } from './ports';
import { serviceNodeFlags } from './service-node-flags';

// `npm start`: every provider's sandbox, a local event sink, then the service (a child process,
// run exactly as in production) configured for them. Ctrl-C stops everything. The root README's
// "First minute" section lists every variable read here; keep the two in step.
const ROOT = resolve(__dirname, '../..');
const env = process.env;
const WEBHOOK_SECRET = 'dev_webhook_secret_0123456789';
const EVENT_SECRET = env['EVENT_SINK_SECRET'] ?? 'dev_event_secret_0123456789';

async function main(): Promise<void> {
  const ports = {
    service: portFrom(env, 'PORT', 3000),
    paymentOptions: portFrom(env, 'PAYMENTOPTIONS_SANDBOX_PORT', 4010),
    payEngine: portFrom(env, 'PAYENGINE_SANDBOX_PORT', 4020),
    stripe: portFrom(env, 'STRIPE_SANDBOX_PORT', 4030),
    adyen: portFrom(env, 'ADYEN_SANDBOX_PORT', 4040),
    sink: portFrom(env, 'EVENT_SINK_PORT', 4090),
  };
  await assertPortsFree(Object.values(ports));
  const webhook = (account: string) => `http://127.0.0.1:${ports.service.port}/v1/webhooks/${account}`;
  const listen = <T>(entry: DevPort, start: () => Promise<T>) =>
    start().catch((error: unknown) => Promise.reject(explainListenError(error, entry)));

  const paymentOptions = await listen(ports.paymentOptions, () => startPaymentOptionsSandbox({ port: ports.paymentOptions.port }));
  const payEngine = await listen(ports.payEngine, () =>
    startPayEngineSandbox({ port: ports.payEngine.port, webhook: { url: webhook('pe-us'), secret: WEBHOOK_SECRET } }),
  );
  const stripe = await listen(ports.stripe, () => startStripeSandbox({ port: ports.stripe.port, webhookUrl: webhook('stripe-eu') }));
  const adyen = await listen(ports.adyen, () => startAdyenSandbox({ port: ports.adyen.port, webhookUrl: webhook('adyen-eu') }));
  const sink = await listen(ports.sink, () => startEventSink({ port: ports.sink.port, secrets: [EVENT_SECRET] }));
  const closeAll = () => Promise.allSettled([paymentOptions.close(), payEngine.close(), stripe.close(), adyen.close(), sink.close()]);
  log(
    `Sandboxes: PaymentOptions ${paymentOptions.baseUrl}, PayEngine ${payEngine.baseUrl}, Stripe ${stripe.baseUrl}, Adyen ${adyen.baseUrl}; events printed from ${sink.url}`,
  );

  const service = spawn(
    process.execPath,
    [...serviceNodeFlags(), '-r', '@swc-node/register', resolve(ROOT, 'apps/capture-api/src/main.ts')],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...env,
        SWC_NODE_PROJECT: env['SWC_NODE_PROJECT'] ?? 'tsconfig.base.json',
        CAPTURE_CONFIG: env['CAPTURE_CONFIG'] ?? resolve(ROOT, 'apps/capture-api/config/capture.dev.yaml'),
        PORT: String(ports.service.port),
        PAYMENTOPTIONS_BASE_URL: paymentOptions.baseUrl,
        PAYMENTOPTIONS_AUTHORIZATION_KEY: paymentOptions.credentials.authorizationKey,
        PAYMENTOPTIONS_API_KEY: paymentOptions.credentials.apiKey,
        PAYMENTOPTIONS_MERCHANT_ID: paymentOptions.credentials.merchantId,
        PAYENGINE_BASE_URL: payEngine.baseUrl,
        PAYENGINE_SECRET_KEY: payEngine.credentials,
        PAYENGINE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_BASE_URL: stripe.accountSettings.baseUrl,
        STRIPE_SECRET_KEY: stripe.accountSettings.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.accountSettings.webhookSecret,
        ADYEN_BASE_URL: adyen.accountSettings.baseUrl,
        ADYEN_API_KEY: adyen.accountSettings.apiKey,
        ADYEN_MERCHANT_ACCOUNT: adyen.accountSettings.merchantAccount,
        ADYEN_HMAC_KEY: adyen.accountSettings.hmacKey,
        EVENT_SINK_URL: sink.url,
        EVENT_SINK_SECRET: EVENT_SECRET,
      },
    },
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (service.exitCode === null) service.kill('SIGTERM');
    await closeAll();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  service.on('exit', (code) => void stop(code ?? 0));
}

function log(message: string): void {
  process.stdout.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), message })}\n`);
}

main().catch((error: unknown) => {
  // A taken port or a bad variable is the developer's to fix: one line, no stack.
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
