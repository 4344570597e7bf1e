import { z } from 'zod';
import { type AnyCapturePlugin, PLUGIN_CONTRACT_VERSION } from './plugin.contract';

const isZodSchema = (value: unknown) =>
  typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function';

const zodSchema = z.custom<z.ZodType>(isZodSchema, { error: 'must be a zod schema' });

const PluginShape = z.object({
  contractVersion: z.string().regex(/^\d+\.\d+\.\d+$/, { error: 'must be a semantic version' }),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be lower-case letters, digits and "-"' }),
  displayName: z.string().min(1),
  version: z.string().min(1),
  configSchema: zodSchema,
  captureOptionsSchema: zodSchema.optional(),
  capabilities: z.object({
    partialCapture: z.boolean(),
    multipleCaptures: z.boolean(),
    captureWithoutAmount: z.boolean(),
    webhooks: z.boolean(),
    currencies: z.union([z.literal('any'), z.array(z.string().regex(/^[A-Z]{3}$/))]),
    statusCheck: z.boolean().optional(),
    zeroAmount: z.boolean().optional(),
    idempotentCapture: z.object({ windowSeconds: z.int().min(1) }).optional(),
  }),
  minorUnits: z.record(z.string().regex(/^[A-Z]{3}$/), z.int().min(0).max(4)).optional(),
  create: z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', { error: 'must be a function' }),
});

export class PluginShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginShapeError';
  }
}

const major = (version: string) => version.split('.')[0];

/**
 * The loader's check on a module it imported by name: finds the plugin (the default export, also
 * through CommonJS interop), checks its shape and that it was built for this contract's major version.
 */
export function pluginFromModule(moduleNamespace: unknown): AnyCapturePlugin {
  const candidate = unwrapDefault(moduleNamespace);
  const parsed = PluginShape.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(export)'} ${i.message}`).join('; ');
    throw new PluginShapeError(`its default export is not a capture plugin: ${problems}`);
  }
  if (major(parsed.data.contractVersion) !== major(PLUGIN_CONTRACT_VERSION)) {
    throw new PluginShapeError(
      `plugin "${parsed.data.id}" was built for plugin contract ${parsed.data.contractVersion}; this service implements ${PLUGIN_CONTRACT_VERSION}`,
    );
  }
  return candidate as AnyCapturePlugin;
}

function unwrapDefault(value: unknown): unknown {
  let current = value;
  // `import()` of a CommonJS module compiled from `export default` nests the plugin one level deeper.
  for (let depth = 0; depth < 2; depth++) {
    const inner = (current as { default?: unknown } | null)?.default;
    if (inner === undefined || inner === null) break;
    current = inner;
  }
  return current;
}
