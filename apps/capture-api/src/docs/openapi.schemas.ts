import { CaptureRecordSchema, CaptureStatusSchema, ErrorCodeSchema, SlugSchema } from '@capture-gateway/domain';
import { z } from 'zod';

// Response shapes that exist only at the HTTP edge. They are zod too, so the document and any
// controller that parses or types its answer with them cannot drift apart.

export const ErrorResponseSchema = z
  .object({
    error: z
      .object({
        code: ErrorCodeSchema,
        message: z.string().describe('For people; do not branch on it'),
        param: z.string().optional().describe('The request field at fault, as a dotted path'),
        provider: z
          .object({ code: z.string().optional(), message: z.string().optional() })
          .strict()
          .optional()
          .describe("The provider's own code and message, when the provider answered"),
      })
      .strict(),
    requestId: z.string().describe('Also sent as the `x-request-id` response header'),
  })
  .strict()
  .meta({ id: 'Error' });

export const CaptureHistorySchema = z
  .object({
    data: z.array(
      z
        .object({
          from: CaptureStatusSchema.optional().describe('Absent for the first entry, when the capture was written'),
          to: CaptureStatusSchema,
          source: z.enum(['api', 'webhook']).describe("What moved it: our call to the provider, or the provider's webhook"),
          at: z.iso.datetime(),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: 'CaptureHistory' });

export const CaptureListSchema = z
  .object({
    data: z.array(CaptureRecordSchema),
    nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page'),
  })
  .strict()
  .meta({ id: 'CaptureList' });

export const ProviderSummarySchema = z
  .object({
    id: SlugSchema.describe('The plugin id'),
    displayName: z.string(),
    version: z.string(),
    capabilities: z
      .object({
        partialCapture: z.boolean(),
        multipleCaptures: z.boolean(),
        captureWithoutAmount: z.boolean(),
        webhooks: z.boolean(),
        currencies: z.union([z.array(z.string()), z.literal('any')]),
      })
      .strict(),
    accounts: z.array(SlugSchema).describe('The configured accounts that use this provider'),
  })
  .strict()
  .meta({ id: 'Provider' });

export const ProviderListSchema = z
  .object({ data: z.array(ProviderSummarySchema) })
  .strict()
  .meta({ id: 'ProviderList' });

export const WebhookAcknowledgementSchema = z
  .object({
    received: z.literal(true),
    updates: z.int().min(0).describe('Capture updates the delivery carried'),
    refused: z.int().min(0).describe('Of those, updates not applied: no capture matched, or their references contradict it'),
  })
  .strict()
  .meta({ id: 'WebhookAcknowledgement' });

export const LivenessSchema = z
  .object({ status: z.literal('ok') })
  .strict()
  .meta({ id: 'Liveness' });

export const ReadinessSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean() }).strict()),
  })
  .strict()
  .meta({ id: 'Readiness' });

// The list filters are validated by the controller's schema; the document is generated from that same one.
export { ListCapturesQuerySchema as CaptureListQuerySchema } from '../captures/list-captures.query';
