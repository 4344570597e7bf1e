// Runs the PaymentOptions sandbox in its own process, so it does not share a core's event loop with
// the load generator. Answers { count } over IPC with how many captures reached it.
import { startPaymentOptionsSandbox } from '@capture-gateway/provider-paymentoptions/sandbox';

async function main(): Promise<void> {
  const sandbox = await startPaymentOptionsSandbox({ port: 0 });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'count') process.send?.({ type: 'count', count: sandbox.capturesReceived() });
  });
  process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));
  process.send?.({ type: 'ready', baseUrl: sandbox.baseUrl, credentials: sandbox.credentials });
}

void main();
