import { z } from 'zod';
import { MoneySchema } from '../money/money.schemas';
import { CaptureErrorSchema, ProviderReferencesSchema } from './capture.schemas';
import { MaskedCardSchema } from './card';

const common = {
  references: ProviderReferencesSchema.default({}),
  card: MaskedCardSchema.optional(),
  /** The provider says nothing more can be captured on the authorisation (a final capture, a cancellation). */
  authorisationClosed: z.boolean().optional(),
};

/**
 * What one call to a provider came to. `failed` means the provider said no and no money moved;
 * `unknown` means the request may have reached the provider and we cannot tell: never retry it blindly.
 */
export const CaptureOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('succeeded'), capturedAmount: MoneySchema.optional(), ...common }).strict(),
  z.object({ status: z.literal('pending'), ...common }).strict(),
  z.object({ status: z.literal('failed'), error: CaptureErrorSchema, ...common }).strict(),
  z.object({ status: z.literal('unknown'), error: CaptureErrorSchema, ...common }).strict(),
]);

export type CaptureOutcome = z.infer<typeof CaptureOutcomeSchema>;
export type CaptureOutcomeInput = z.input<typeof CaptureOutcomeSchema>;
