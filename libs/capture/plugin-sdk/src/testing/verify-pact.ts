import { pactFilePath } from './pact-files';
import { startFormBodyRepair } from './pact-form-bodies';

type Params = Record<string, unknown> | undefined;

export interface VerifyPactOptions {
  consumer: string;
  provider: string;
  providerBaseUrl: string;
  /** One handler per provider state the pact names; it receives the state's parameters. */
  stateHandlers: Record<string, (params: Params) => Promise<unknown> | unknown>;
  /** Rewrites each replayed request before it reaches the provider (to add live credentials, say). */
  requestFilter?: (req: { headers: Record<string, unknown> }, res: unknown, next: () => void) => void;
  /** The pact has form bodies: replay them through `startFormBodyRepair`, as Pact's verifier sends them as JSON. */
  formBodies?: boolean;
}

/** Replays every interaction of the committed pact against a running provider (a sandbox or the service). */
export async function verifyPact(options: VerifyPactOptions): Promise<unknown> {
  process.env['PACT_DO_NOT_TRACK'] = 'true';
  const stateHandlers = Object.fromEntries(
    Object.entries(options.stateHandlers).map(([state, handle]) => [
      state,
      { setup: async (params: unknown) => void (await handle(params as Params)) },
    ]),
  );
  // Pact's verifier announces an interaction without a provider state as the state "" and logs a WARN
  // when nothing handles it: such an interaction needs no set-up, so "" is handled by doing nothing.
  stateHandlers[''] ??= { setup: async () => undefined };
  // Loaded here, not at the top: every sandbox and e2e file imports this testing entry, and Jest loads
  // Pact (about 0.4 s of CPU) afresh for each file; only verifications need it.
  const { Verifier } = await import('@pact-foundation/pact');
  const repair = options.formBodies ? await startFormBodyRepair(options.providerBaseUrl) : undefined;
  try {
    return await new Verifier({
      provider: options.provider,
      providerBaseUrl: repair?.baseUrl ?? options.providerBaseUrl,
      pactUrls: [pactFilePath(options.consumer, options.provider)],
      stateHandlers,
      requestFilter: options.requestFilter as never,
      logLevel: 'warn',
    }).verifyProvider();
  } finally {
    await repair?.close();
  }
}
