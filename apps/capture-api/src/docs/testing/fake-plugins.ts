import { definePlugin, type AnyCapturePlugin } from '@capture-gateway/plugin-sdk';
import { z } from 'zod';

// Two small plugins whose only job is to carry option schemas into the document under test.
const capabilities = {
  partialCapture: true,
  multipleCaptures: false,
  captureWithoutAmount: false,
  webhooks: false,
  currencies: 'any',
} as const;

export const fakeFeesPlugin = definePlugin({
  id: 'fakefees',
  displayName: 'Fake Fees',
  version: '0.0.1',
  configSchema: z.object({ baseUrl: z.url() }),
  captureOptionsSchema: z
    .object({
      settlementFee: z.int().min(0).default(0).describe('Fee in minor units, kept by the provider'),
      feeReference: z.string().max(32).optional(),
    })
    .strict(),
  capabilities,
  create: () => ({ capture: async () => ({ status: 'pending' }) }),
});

export const fakeSplitPlugin = definePlugin({
  id: 'fake-split',
  displayName: 'Fake Split',
  version: '0.0.1',
  configSchema: z.object({ baseUrl: z.url() }),
  captureOptionsSchema: z.object({ splitTo: z.array(z.object({ merchant: z.string(), amount: z.int().min(1) })).min(1) }).strict(),
  capabilities,
  create: () => ({ capture: async () => ({ status: 'pending' }) }),
});

export const fakePlugins: AnyCapturePlugin[] = [fakeFeesPlugin, fakeSplitPlugin];
