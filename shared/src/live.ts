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

/** An alert rule's new state, sent on the same stream as the events (the dashboard's badge of firing rules listens). */
export const ZLiveAlertChange = z.object({
  ruleId: z.number().int(),
  name: z.string(),
  state: z.enum(['ok', 'pending', 'firing', 'resolved', 'no_data']),
  windowEnd: z.string().describe('The end of the window whose verdict changed the state, ISO 8601.'),
});
export type TLiveAlertChange = z.infer<typeof ZLiveAlertChange>;

/** What one commit added for a tenant. */
export const ZLiveDelta = z.object({
  committedAt: z.string().describe('When the server committed these events, ISO 8601.'),
  accepted: z.number().int().describe('New events in this commit (duplicates are not counted).'),
  byType: z.array(z.object({ name: z.string(), count: z.number().int() })).describe('New events per name, largest first.'),
  events: z.array(ZLiveEvent).describe('Up to 20 of the new events, newest first.'),
  alerts: z.array(ZLiveAlertChange).optional().describe('Alert rules whose state changed (a delta that carries them has no events: accepted is 0).'),
});
export type TLiveDelta = z.infer<typeof ZLiveDelta>;

export const LIVE_DELTA_MAX_EVENTS = 20;
