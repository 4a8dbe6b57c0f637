import { z } from 'zod';

const MAX_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;

/** A half-open time range [from, to): an event at exactly `to` is not counted. */
export const ZDateRange = z
  .object({
    from: z.iso.datetime({ offset: true }).describe('Inclusive start, ISO 8601.'),
    to: z.iso.datetime({ offset: true }).describe('Exclusive end, ISO 8601.'),
  })
  .refine((range) => Date.parse(range.from) < Date.parse(range.to), {
    message: '"from" must be before "to"',
    path: ['from'],
  })
  .refine((range) => Date.parse(range.to) - Date.parse(range.from) <= MAX_RANGE_DAYS * DAY_MS, {
    message: `the range may span at most ${MAX_RANGE_DAYS} days`,
    path: ['to'],
  });
export type TDateRange = z.infer<typeof ZDateRange>;

export const ZSummaryRequest = ZDateRange;
export type TSummaryRequest = z.infer<typeof ZSummaryRequest>;

export const ZEventTypeCount = z.object({
  name: z.string().describe('Event name, e.g. page_view.'),
  count: z.number().int(),
});

export const ZSummaryResponse = z.object({
  from: z.string(),
  to: z.string(),
  totalEvents: z.number().int(),
  uniqueUsers: z.number().int().describe('Distinct userId, or anonymousId where there is no userId.'),
  sessions: z.number().int(),
  byType: z.array(ZEventTypeCount).describe('Counts per event name, largest first.'),
});
export type TSummaryResponse = z.infer<typeof ZSummaryResponse>;
