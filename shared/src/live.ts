import { z } from 'zod';

export const ZLiveRequest = z
  .object({
    lastEventId: z.string().max(40).nullish().describe('The id of the last delta received; the stream resumes after it.'),
  })
  .optional();

export const ZLiveEvent = z.object({
  messageId: z.string(),
  type: z.string(),
  name: z.string(),
  userId: z.string().nullable(),
  path: z.string().nullable(),
  country: z.string().nullable(),
  device: z.string().nullable(),
  ts: z.string().describe('When it happened, ISO 8601.'),
});
export type TLiveEvent = z.infer<typeof ZLiveEvent>;

/** What one commit added for a tenant. */
export const ZLiveDelta = z.object({
  committedAt: z.string().describe('When the server committed these events, ISO 8601.'),
  accepted: z.number().int().describe('New events in this commit (duplicates are not counted).'),
  byType: z.array(z.object({ name: z.string(), count: z.number().int() })).describe('New events per name, largest first.'),
  events: z.array(ZLiveEvent).describe('Up to 20 of the new events, newest first.'),
});
export type TLiveDelta = z.infer<typeof ZLiveDelta>;

export const LIVE_DELTA_MAX_EVENTS = 20;
