import { z } from 'zod';
import { ZFilters } from './filters.ts';
import { INGEST_LIMITS } from './ingest.ts';
import { ZStorableString } from './text.ts';

const MAX_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;

/** The instants a read may name: PostgreSQL's timestamps reach further, but no event predates 1970, and the
 *  bound leaves room for the period before a range (summaries) and for any time zone's offset. */
export const INSTANT_BOUNDS = { min: '1970-01-01T00:00:00Z', max: '9999-01-01T00:00:00Z' } as const;

/** An ISO 8601 instant with an offset, within INSTANT_BOUNDS. */
export const ZInstant = z.iso
  .datetime({ offset: true })
  .refine((value) => Date.parse(value) >= Date.parse(INSTANT_BOUNDS.min) && Date.parse(value) <= Date.parse(INSTANT_BOUNDS.max), {
    message: `must be between ${INSTANT_BOUNDS.min} and ${INSTANT_BOUNDS.max}`,
  });

/** A half-open time range [from, to): an event at exactly `to` is not counted. */
export const ZDateRange = z
  .object({
    from: ZInstant.describe('Inclusive start, ISO 8601.'),
    to: ZInstant.describe('Exclusive end, ISO 8601.'),
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

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** Names the browser's Intl knows; the server also checks them against PostgreSQL's own list, which differs. */
export const ZTimeZone = z.string().max(64).refine(isTimeZone, { message: 'not an IANA time zone (for example "Europe/Berlin" or "UTC")' }).default('UTC');

export const ZSummaryRequest = ZDateRange.and(z.object({ filters: ZFilters.optional() }));
export type TSummaryRequest = z.infer<typeof ZSummaryRequest>;

export const ZEventTypeCount = z.object({
  name: z.string().describe('Event name, e.g. page_view.'),
  count: z.number().int(),
});

export const ZTotals = z.object({
  totalEvents: z.number().int(),
  uniqueUsers: z.number().int().describe('Distinct userId, or anonymousId where there is no userId.'),
  sessions: z.number().int(),
});
export type TTotals = z.infer<typeof ZTotals>;

export const ZCacheInfo = z
  .object({
    hit: z.boolean().describe('Served from the cache rather than computed for this request.'),
    stale: z.boolean().describe('Past its fresh time: served while a refresh runs (at most one grace window).'),
    ageMs: z.number().int().describe('How long ago the answer was computed.'),
  })
  .describe('Where the answer came from.');
export type TCacheInfo = z.infer<typeof ZCacheInfo>;

export const ZGranularity = z.enum(['minute', 'hour', 'day', 'week', 'month']);

export const ZDegraded = z
  .object({
    reason: z.enum(['database-unavailable', 'overload']),
    message: z.string().describe('What is different about this answer, for people.'),
    dataAgeMs: z.number().int().optional().describe('How old the data is, when it could not be refreshed.'),
    granularity: ZGranularity.optional().describe('The coarser granularity served instead, under load.'),
    requested: ZGranularity.optional().describe('…and the one asked for.'),
  })
  .describe('Present only when the answer is not the full, current one.');
export type TDegraded = z.infer<typeof ZDegraded>;

/** Every dashboard answer says where it came from and whether it is degraded. */
export const answerProvenance = { cache: ZCacheInfo, degraded: ZDegraded.optional() };

export const ZSummaryResponse = ZTotals.extend({
  from: z.string(),
  to: z.string(),
  byType: z.array(ZEventTypeCount).describe('Counts per event name, largest first.'),
  previous: ZTotals.extend({ from: z.string(), to: z.string() }).describe('The same totals for the period of equal length just before `from`.'),
  ...answerProvenance,
});
export type TSummaryResponse = z.infer<typeof ZSummaryResponse>;

export type TGranularity = z.infer<typeof ZGranularity>;

export const ZTimeseriesRequest = ZDateRange.and(
  z.object({
    granularity: ZGranularity.default('day'),
    timeZone: ZTimeZone.describe('Buckets start at local midnight (day, week, month) in this zone.'),
    name: ZStorableString.min(1).max(200).optional().describe('Only events of this name.'),
    filters: ZFilters.optional(),
  }),
);
export type TTimeseriesRequest = z.input<typeof ZTimeseriesRequest>;

export const ZTimeseriesResponse = z.object({
  granularity: ZGranularity,
  timeZone: z.string(),
  points: z.array(z.object({ bucket: z.string().describe('Start of the bucket, ISO 8601.'), count: z.number().int() })),
  ...answerProvenance,
});
export type TTimeseriesResponse = z.infer<typeof ZTimeseriesResponse>;

export const ZTopPagesRequest = ZDateRange.and(z.object({ limit: z.number().int().min(1).max(100).default(10), filters: ZFilters.optional() }));
export type TTopPagesRequest = z.input<typeof ZTopPagesRequest>;

export const ZTopPagesResponse = z.object({
  pages: z.array(z.object({ path: z.string(), views: z.number().int() })),
  ...answerProvenance,
});
export type TTopPagesResponse = z.infer<typeof ZTopPagesResponse>;

/**
 * What a breakdown groups by. `referrer` is the whole referring URL, `referrerSource` its site ("Google",
 * "news.ycombinator.com"); the utm fields come from the page URL or the SDK's `context.campaign`. Every count
 * leaves bots out; `bot` counts only them, by crawler name.
 */
export const ZBreakdownDimension = z.enum([
  'type',
  'device',
  'browser',
  'os',
  'country',
  'referrer',
  'referrerSource',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'bot',
]);
export type TBreakdownDimension = z.infer<typeof ZBreakdownDimension>;

export const ZBreakdownRequest = ZDateRange.and(
  z.object({ by: ZBreakdownDimension, limit: z.number().int().min(1).max(100).default(10), filters: ZFilters.optional() }),
);
export type TBreakdownRequest = z.input<typeof ZBreakdownRequest>;

export const ZBreakdownResponse = z.object({
  by: ZBreakdownDimension,
  rows: z.array(z.object({ value: z.string(), count: z.number().int() })),
  ...answerProvenance,
});
export type TBreakdownResponse = z.infer<typeof ZBreakdownResponse>;

export const ZPropertyBreakdownRequest = ZDateRange.and(
  z.object({
    key: ZStorableString.min(1).max(INGEST_LIMITS.maxPropertyKeyLength).describe('A top-level property, e.g. "plan".'),
    limit: z.number().int().min(1).max(100).default(10),
    filters: ZFilters.optional(),
  }),
);
export type TPropertyBreakdownRequest = z.input<typeof ZPropertyBreakdownRequest>;

export const ZPropertyBreakdownResponse = z.object({
  key: z.string(),
  rows: z.array(z.object({ value: z.string().describe('The value as text: 42 is "42", a JSON null is "null".'), count: z.number().int() })),
  other: z.number().int().describe('Events with the property whose value is not among the rows.'),
  ...answerProvenance,
});
export type TPropertyBreakdownResponse = z.infer<typeof ZPropertyBreakdownResponse>;

/** How many of the range's newest events the property keys are read from: a picker needs the common keys, not all. */
export const CATALOG_SAMPLE_EVENTS = 10_000;

export const ZCatalogRequest = ZDateRange;
export type TCatalogRequest = z.infer<typeof ZCatalogRequest>;

export const ZCatalogResponse = z.object({
  eventNames: z.array(z.object({ name: z.string(), count: z.number().int() })).describe('Every event name of the range, most frequent first (at most 100).'),
  propertyKeys: z
    .array(z.object({ key: z.string(), count: z.number().int() }))
    .describe(`Property keys of the range's newest ${CATALOG_SAMPLE_EVENTS.toLocaleString('en-US')} events, most frequent first (at most 100).`),
  ...answerProvenance,
});
export type TCatalogResponse = z.infer<typeof ZCatalogResponse>;
