import { z } from 'zod';

/** Default cap on events in one batch; the server's MAX_BATCH_EVENTS may lower or raise it. */
export const DEFAULT_MAX_BATCH_EVENTS = 1000;

const ZShortText = z.string().min(1).max(200);

/** One event in Segment's envelope (the subset the foundation stores; the rest is kept in properties). */
export const ZIncomingEvent = z
  .object({
    type: z.enum(['track', 'page', 'identify']).default('track').describe('Segment call type.'),
    event: ZShortText.optional().describe('Event name, required for track calls, e.g. "purchase".'),
    messageId: z.string().min(1).max(100).optional().describe('Client id for de-duplication; assigned when absent.'),
    userId: ZShortText.optional(),
    anonymousId: ZShortText.optional(),
    timestamp: z.iso.datetime({ offset: true }).optional().describe('When the event happened; defaults to now.'),
    context: z
      .object({
        page: z
          .object({
            path: z.string().max(2048).optional(),
            url: z.string().max(2048).optional(),
            referrer: z.string().max(2048).optional(),
            title: z.string().max(500).optional(),
          })
          .optional(),
        userAgent: z.string().max(1024).optional(),
        locale: z.string().max(35).optional(),
        ip: z.string().max(64).optional(),
        sessionId: ZShortText.optional(),
        device: z.object({ type: ZShortText.optional() }).optional(),
        location: z.object({ country: ZShortText.optional() }).optional(),
      })
      .optional(),
    properties: z.record(z.string().max(200), z.json()).optional(),
  })
  .refine((event) => event.type !== 'track' || event.event !== undefined, {
    message: 'a track event needs an "event" name',
    path: ['event'],
  })
  .refine((event) => event.userId !== undefined || event.anonymousId !== undefined, {
    message: 'an event needs a userId or an anonymousId',
    path: ['userId'],
  });
export type TIncomingEvent = z.infer<typeof ZIncomingEvent>;

/**
 * A batch as Segment's /v1/batch sends it. Items are checked one by one by the server so that one bad
 * event does not sink the others, and the server applies its configured size limit (413 past it).
 */
export const ZIngestBatchRequest = z.object({
  batch: z.array(z.unknown()).min(1, 'the batch is empty'),
});
export type TIngestBatchRequest = z.infer<typeof ZIngestBatchRequest>;

export const ZRejectedEvent = z.object({
  index: z.number().int().describe('Position of the event in the batch.'),
  code: z.string().describe('Machine-readable reason, e.g. INVALID_EVENT.'),
  message: z.string(),
});

export const ZIngestBatchResponse = z.object({
  accepted: z.number().int().describe('Events stored by this request.'),
  duplicates: z.number().int().describe('Events whose messageId was already stored; not stored again.'),
  rejected: z.array(ZRejectedEvent),
});
export type TIngestBatchResponse = z.infer<typeof ZIngestBatchResponse>;
