import { z } from 'zod';
import { ZInstant } from './analytics.ts';
import { ZStorableString } from './text.ts';

/** One stored event as the event log shows it. */
export const ZStoredEvent = z.object({
  id: z.string().describe('Server id (a 64-bit integer, as a string).'),
  messageId: z.string(),
  type: z.string(),
  name: z.string(),
  userId: z.string().nullable(),
  anonymousId: z.string().nullable(),
  sessionId: z.string().nullable(),
  path: z.string().nullable(),
  referrer: z.string().nullable(),
  device: z.string().nullable(),
  browser: z.string().nullable(),
  country: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()),
  ts: z.string().describe('When it happened (clock-skew corrected), ISO 8601.'),
  receivedAt: z.string(),
});
export type TStoredEvent = z.infer<typeof ZStoredEvent>;

export const ZRecentEventsRequest = z.object({ limit: z.number().int().min(1).max(200).default(50) });
export type TRecentEventsRequest = z.input<typeof ZRecentEventsRequest>;

/** Matching events are counted up to this many: enough to say "1,234 events", bounded however many there are. */
export const EVENT_COUNT_CAP = 10_000;

export const ZEventListRequest = z.object({
  name: ZStorableString.min(1).max(200).optional().describe('Only events of this name (type).'),
  userId: ZStorableString.min(1).max(200).optional(),
  sessionId: ZStorableString.min(1).max(200).optional(),
  pathContains: ZStorableString.min(1).max(200).optional().describe('Case-insensitive text the path must contain.'),
  from: ZInstant.optional().describe('Inclusive start.'),
  to: ZInstant.optional().describe('Exclusive end.'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page.'),
  limit: z.number().int().min(1).max(200).default(50),
});
export type TEventListRequest = z.input<typeof ZEventListRequest>;

export const ZEventExportRequest = ZEventListRequest.extend({
  limit: z
    .number()
    .int()
    .min(1)
    .max(5_000)
    .default(1_000)
    .describe('At most this many events; fewer when the page reaches the size cap (EXPORT_MAX_BYTES), with nextCursor set.'),
}).describe('The event log in large pages, for export; the first work the server sheds when busy.');

export const ZEventListResponse = z.object({
  events: z.array(ZStoredEvent).describe('Newest first.'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page.'),
  matching: z
    .object({
      count: z.number().int(),
      atLeast: z.boolean().describe('True when more events match than were counted (the count stops at EVENT_COUNT_CAP).'),
    })
    .optional()
    .describe('On the first page only: how many events match the filters.'),
});
export type TEventListResponse = z.infer<typeof ZEventListResponse>;
