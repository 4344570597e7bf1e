import { z } from 'zod';

/** `POST /v1/captures/:id/resolve`: an operator settles a capture in doubt, with evidence in `reason`. */
export const ResolveCaptureSchema = z
  .object({
    status: z.enum(['succeeded', 'failed']).describe('What the provider did, as the operator established it'),
    reason: z.string().trim().min(3).max(500).describe('Why: the evidence (a provider report, a support ticket)'),
    providerReference: z.string().min(1).max(128).optional().describe("The provider's capture reference, when known"),
  })
  .strict()
  .meta({ id: 'ResolveCapture' });

export type ResolveCapture = z.infer<typeof ResolveCaptureSchema>;
