import { flag, portFlag, startSandbox } from './provider-sandbox-loader';

// Runs one workspace provider's sandbox alone, on a chosen port, until Ctrl-C: for curl, a service
// started by hand, or a benchmark. Usage, from the workspace root:
//   SWC_NODE_PROJECT=tsconfig.base.json npx node -r @swc-node/register tools/nx-plugin/scripts/provider-sandbox.ts <name> [--port=<n>] [--host=<h>] [--webhook-url=<url>]
// or `npx nx run provider-<name>:sandbox --port=<n>`. It prints the sandbox's URL and its accountSettings.
async function main(): Promise<void> {
  const [name, ...flags] = process.argv.slice(2);
  if (!name || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new Error('usage: provider-sandbox.ts <provider-name> [--port=<n>] [--host=<h>] [--webhook-url=<url>]');
  }
  const webhookUrl = flag(flags, 'webhook-url');
  const host = flag(flags, 'host');
  const sandbox = await startSandbox(name, {
    port: portFlag(flags, 'port') ?? 0,
    ...(host ? { host } : {}),
    ...(webhookUrl ? { webhookUrl } : {}),
  });
  process.stdout.write(`provider-sandbox: ${name} sandbox on ${sandbox.baseUrl}${webhookUrl ? `, webhooks to ${webhookUrl}` : ''}\n`);
  process.stdout.write(`provider-sandbox: accountSettings ${JSON.stringify(sandbox.accountSettings ?? { baseUrl: sandbox.baseUrl })}\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await sandbox.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`provider-sandbox failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
