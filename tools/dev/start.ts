import { startPayEngineSandbox } from '@capture-gateway/provider-payengine/sandbox';
import { startPaymentOptionsSandbox } from '@capture-gateway/provider-paymentoptions/sandbox';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

// `npm start`: both providers' sandboxes on fixed ports, then the service (a child process, run
// exactly as in production) configured for them. Ctrl-C stops everything.
const ROOT = resolve(__dirname, '../..');
const PAYMENTOPTIONS_PORT = Number(process.env['PAYMENTOPTIONS_SANDBOX_PORT'] ?? 4010);
const PAYENGINE_PORT = Number(process.env['PAYENGINE_SANDBOX_PORT'] ?? 4020);
const PORT = process.env['PORT'] ?? '3000';
const WEBHOOK_SECRET = 'dev_webhook_secret_0123456789';

async function main(): Promise<void> {
  const paymentOptions = await startPaymentOptionsSandbox({ port: PAYMENTOPTIONS_PORT });
  const payEngine = await startPayEngineSandbox({
    port: PAYENGINE_PORT,
    webhook: { url: `http://127.0.0.1:${PORT}/v1/webhooks/pe-us`, secret: WEBHOOK_SECRET },
  });
  log(`PaymentOptions sandbox on ${paymentOptions.baseUrl}, PayEngine sandbox on ${payEngine.baseUrl}`);

  const service = spawn(process.execPath, ['-r', '@swc-node/register', resolve(ROOT, 'apps/capture-api/src/main.ts')], {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      SWC_NODE_PROJECT: process.env['SWC_NODE_PROJECT'] ?? 'tsconfig.base.json',
      CAPTURE_CONFIG: process.env['CAPTURE_CONFIG'] ?? resolve(ROOT, 'apps/capture-api/config/capture.dev.yaml'),
      PORT,
      PAYMENTOPTIONS_BASE_URL: paymentOptions.baseUrl,
      PAYMENTOPTIONS_AUTHORIZATION_KEY: paymentOptions.credentials.authorizationKey,
      PAYMENTOPTIONS_API_KEY: paymentOptions.credentials.apiKey,
      PAYMENTOPTIONS_MERCHANT_ID: paymentOptions.credentials.merchantId,
      PAYENGINE_BASE_URL: payEngine.baseUrl,
      PAYENGINE_SECRET_KEY: payEngine.credentials,
      PAYENGINE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (service.exitCode === null) service.kill('SIGTERM');
    await Promise.allSettled([paymentOptions.close(), payEngine.close()]);
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
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
