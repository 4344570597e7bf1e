import {
  CaptureEventSchema,
  CaptureRecordSchema,
  CaptureStatusSchema,
  ErrorCodeSchema,
  FLAG_REASONS,
  MoneySchema,
  SlugSchema,
  STATUS_SOURCES,
} from '@capture-gateway/domain';
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

// Who made a history entry: the source, the actor (the API client and key, the plugin, the reconciler), the request and the time.
const byWhom = {
  source: z.enum(STATUS_SOURCES),
  actor: z.string().optional().describe('The API client and key id (api, operator), the plugin (webhook) or the reconciler'),
  requestId: z.string().optional(),
  at: z.iso.datetime(),
};

export const CaptureHistorySchema = z
  .object({
    data: z.array(
      z.discriminatedUnion('kind', [
        z
          .object({
            kind: z.literal('status'),
            from: CaptureStatusSchema.optional().describe('Absent for the first entry, when the capture was written'),
            to: CaptureStatusSchema,
            source: z
              .enum(STATUS_SOURCES)
              .describe("What moved it: our call to the provider, the provider's webhook, the reconciler's status check, an operator"),
            actor: z.string().optional().describe('The API client and key id (api, operator), the plugin (webhook) or the reconciler'),
            reason: z.string().optional().describe("An operator's reason"),
            requestId: z.string().optional(),
            at: z.iso.datetime(),
          })
          .strict(),
        z
          .object({
            kind: z.literal('check'),
            attempt: z.int().min(1),
            answer: z.enum(['found', 'not_received', 'cannot_tell']).describe('What the status check at the provider answered'),
            status: CaptureStatusSchema.optional().describe('The status the provider reported, when found'),
            message: z.string().optional(),
            at: z.iso.datetime(),
          })
          .strict(),
        z
          .object({
            kind: z.literal('flag'),
            reason: z
              .enum(FLAG_REASONS)
              .describe('A report contradicted a final status, or reported a success above the request or in another currency'),
            status: CaptureStatusSchema.describe("The capture's status, which stayed"),
            reportedStatus: CaptureStatusSchema.describe('The status the report asked for: not applied'),
            message: z.string(),
            eventId: z.string().optional().describe("The provider's event id, when a webhook raised the flag"),
            ...byWhom,
          })
          .strict(),
        z
          .object({
            kind: z.literal('acknowledge'),
            status: CaptureStatusSchema,
            flag: z.enum(FLAG_REASONS).describe('The flag the operator closed'),
            note: z.string().describe('What was done about it'),
            ...byWhom,
          })
          .strict(),
        z
          .object({
            kind: z.literal('resend'),
            attempt: z.int().min(1),
            answerStatus: CaptureStatusSchema.describe("The status the re-send's answer gave"),
            ...byWhom,
          })
          .strict(),
      ]),
    ),
  })
  .strict()
  .meta({ id: 'CaptureHistory' });

export const AuthorisationSchema = z
  .object({
    account: SlugSchema,
    authorisationId: z.string(),
    authorisedAmount: MoneySchema.optional().describe('As the first capture that declared it said'),
    closed: z.boolean().describe('A final capture that did not fail, or the provider, closed it: nothing more can be captured'),
    capturedTotal: z.array(MoneySchema).describe('What its succeeded captures took, per currency'),
    captures: z.array(CaptureRecordSchema).describe('Oldest first'),
  })
  .strict()
  .meta({ id: 'Authorisation' });

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
        statusCheck: z.boolean().describe('The provider can say what became of a capture: the reconciler settles captures in doubt'),
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

export const EventListSchema = z
  .object({
    data: z.array(CaptureEventSchema),
    nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page'),
  })
  .strict()
  .meta({ id: 'EventList' });

export const EventDetailSchema = z
  .object({
    event: CaptureEventSchema,
    deliveries: z.array(
      z
        .object({
          subscriptionId: z.string().describe('`<client id>/<subscription id>`'),
          state: z.enum(['pending', 'delivered', 'failed']).describe('failed: given up after the retry window; redeliver to try again'),
          attempts: z.int().min(0),
          nextAttemptAt: z.iso.datetime().optional(),
          lastStatus: z.int().optional().describe("The endpoint's HTTP status at the last attempt"),
          lastError: z.string().optional(),
          deliveredAt: z.iso.datetime().optional(),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: 'EventDetail' });

export const RedeliveryResultSchema = z
  .object({ redelivered: z.int().min(0).describe('Subscriptions the event is queued for again') })
  .strict()
  .meta({ id: 'RedeliveryResult' });

export { ListEventsQuerySchema as EventListQuerySchema } from '../events/list-events.query';
