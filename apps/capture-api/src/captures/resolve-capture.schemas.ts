import { safeText } from '@capture-gateway/domain';
import { z } from 'zod';

/**
 * `POST /v1/captures/:id/resolve`: an operator settles a capture in doubt, with evidence in `reason`.
 * Both texts are stored (history), answered (`error.message`) and sent (events): safe text, bounded,
 * and a card number in them is refused (`card_number_in_text`), never a 500 from the database.
 */
export const ResolveCaptureSchema = z
  .object({
    status: z.enum(['succeeded', 'failed']).describe('What the provider did, as the operator established it'),
    reason: safeText({ trim: true, min: 3, max: 500, multiline: true, refuseCardNumbers: true }).describe(
      'Why: the evidence (a provider report, a support ticket). Never a card number.',
    ),
    providerReference: safeText({ min: 1, max: 128, refuseCardNumbers: 'whole' })
      .optional()
      .describe("The provider's capture reference, when known"),
  })
  .strict()
  .meta({ id: 'ResolveCapture' });

export type ResolveCapture = z.infer<typeof ResolveCaptureSchema>;

/** `POST /v1/captures/:id/acknowledge`: an operator closes a capture's flag, saying what was done about it. */
export const AcknowledgeCaptureSchema = z
  .object({
    note: safeText({ trim: true, min: 3, max: 500, multiline: true, refuseCardNumbers: true }).describe(
      'What was done about it (a refund, a ticket, the provider confirmed). Never a card number.',
    ),
  })
  .strict()
  .meta({ id: 'AcknowledgeCapture' });

export type AcknowledgeCapture = z.infer<typeof AcknowledgeCaptureSchema>;
