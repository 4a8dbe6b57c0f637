import { z } from 'zod';
import { ZStoredEvent } from './events.ts';
import { INGEST_LIMITS } from './ingest.ts';
import { ZStorableString } from './text.ts';

/** A visitor's events are counted up to this many: past it the count says "at least". */
export const TIMELINE_MAX_COUNTED = 10_000;
/** How many anonymous ids seen with a user id (their devices, their history before signing up) are joined to it. */
export const TIMELINE_MAX_LINKED_IDS = 50;

export const ZTimelineRequest = z.object({
  visitorId: ZStorableString.min(1).max(INGEST_LIMITS.maxIdLength).describe('A user id or an anonymous id.'),
  limit: z.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page: older events.'),
});
export type TTimelineRequest = z.input<typeof ZTimelineRequest>;

export const ZTimelineEvent = ZStoredEvent.extend({
  os: z.string().nullable(),
  isBot: z.boolean().describe('Sent by a crawler: a timeline shows every event of its visitor, these included.'),
});
export type TTimelineEvent = z.infer<typeof ZTimelineEvent>;

export const ZTimelineVisitor = z.object({
  id: z.string(),
  linkedAnonymousIds: z
    .array(z.string())
    .describe(
      `Anonymous ids seen on this user id's events (among its newest ${TIMELINE_MAX_COUNTED.toLocaleString('en-US')}), ` +
        `at most ${TIMELINE_MAX_LINKED_IDS}, most recent first: their events without a user id belong to the timeline too.`,
    ),
  firstSeen: z.string().describe('The oldest event, ISO 8601.'),
  lastSeen: z.string().describe('The newest event, ISO 8601.'),
  eventCount: z
    .number()
    .int()
    .describe(`Events of the visitor, counted up to ${TIMELINE_MAX_COUNTED.toLocaleString('en-US')}.`),
  eventCountIsCapped: z.boolean().describe('The visitor has more events than eventCount says.'),
  country: z.string().nullable().describe('Of the newest event, as are device, browser and os.'),
  device: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
});
export type TTimelineVisitor = z.infer<typeof ZTimelineVisitor>;

export const ZTimelineResponse = z.object({
  visitor: ZTimelineVisitor.nullable().describe('Null when the id has no events.'),
  events: z.array(ZTimelineEvent).describe('Newest first.'),
  nextCursor: z.string().nullable().describe('Pass as cursor for older events; null on the last page.'),
});
export type TTimelineResponse = z.infer<typeof ZTimelineResponse>;
