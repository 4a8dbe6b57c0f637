import { z } from 'zod';
import { ZDateRange, answerProvenance } from './analytics.ts';
import { ZEventMatch } from './event-match.ts';
import { ZFilters } from './filters.ts';
import { INGEST_LIMITS } from './ingest.ts';
import { ZStorableString } from './text.ts';

const DAY_SECONDS = 86_400;

export const FUNNEL_LIMITS = {
  minSteps: 2,
  maxSteps: 8,
  minWindowSeconds: 60,
  maxWindowSeconds: 90 * DAY_SECONDS,
  defaultWindowSeconds: DAY_SECONDS,
  defaultBreakdownLimit: 5,
  maxBreakdownLimit: 20,
} as const;

/** The value a breakdown shows for entry events without one. */
export const FUNNEL_NO_VALUE = '(none)';

/**
 * What a funnel counts (the backend's SQL and its oracle test implement exactly this):
 * - Only events in [from, to) that meet `filters`, are not bots, and have a visitor (userId, else anonymousId).
 * - A visitor enters at their first step-1 event. Each next step is their first event of that step strictly
 *   later than the one they reached for the step before (so one event never counts for two steps), and no
 *   later than entry + windowSeconds.
 * - A breakdown takes its value from the entry event (ties at the entry instant: the lowest messageId).
 */
export const FUNNEL_DEFINITION =
  'Visitors (userId, else anonymousId; bots left out) who did the steps in order. Only events in [from, to) that meet `filters` count. ' +
  "A visitor enters at their first step-1 event; each next step is their first event of it strictly later than the previous step's, " +
  'and at most windowSeconds after entering.';

export const FUNNEL_BREAKDOWN_COLUMNS = ['country', 'browser', 'os', 'device', 'referrerSource', 'utmSource', 'utmMedium', 'utmCampaign', 'path'] as const;
export type TFunnelBreakdownColumn = (typeof FUNNEL_BREAKDOWN_COLUMNS)[number];

export const ZFunnelBreakdown = z
  .union([
    z.enum(FUNNEL_BREAKDOWN_COLUMNS),
    z.object({ property: ZStorableString.min(1).max(INGEST_LIMITS.maxPropertyKeyLength).describe('A top-level property, e.g. "plan".') }),
  ])
  .describe(`Split the funnel by a value of each visitor's entry (step-1) event; no value is "${FUNNEL_NO_VALUE}".`);
export type TFunnelBreakdown = z.infer<typeof ZFunnelBreakdown>;

export const ZFunnelRequest = ZDateRange.and(
  z.object({
    steps: z
      .array(ZEventMatch)
      .min(FUNNEL_LIMITS.minSteps)
      .max(FUNNEL_LIMITS.maxSteps)
      .describe(`${FUNNEL_LIMITS.minSteps} to ${FUNNEL_LIMITS.maxSteps} steps, in the order visitors must do them.`),
    windowSeconds: z
      .number()
      .int()
      .min(FUNNEL_LIMITS.minWindowSeconds)
      .max(FUNNEL_LIMITS.maxWindowSeconds)
      .default(FUNNEL_LIMITS.defaultWindowSeconds)
      .describe('How long after entering (the step-1 event) a visitor has to do every later step. Default one day.'),
    filters: ZFilters.optional().describe('Conditions every event of the funnel meets, whatever its step.'),
    breakdown: ZFunnelBreakdown.optional(),
    limit: z
      .number()
      .int()
      .min(1)
      .max(FUNNEL_LIMITS.maxBreakdownLimit)
      .default(FUNNEL_LIMITS.defaultBreakdownLimit)
      .describe('With a breakdown: how many values, those with the most entrants.'),
  }),
).describe(FUNNEL_DEFINITION);
export type TFunnelRequest = z.input<typeof ZFunnelRequest>;

export const ZFunnelStep = z.object({
  label: z.string().describe('The step as it reads in a table header, e.g. "signup" or "page /pricing*".'),
  visitors: z.number().int().describe('Visitors who reached this step.'),
  dropped: z.number().int().describe('Visitors who reached the step before but not this one (0 for step 1).'),
  conversion: z.number().min(0).max(1).describe("Fraction of step 1's visitors who reached this step (0 when step 1 has none)."),
  medianSecondsFromPrevious: z
    .number()
    .nullable()
    .describe(
      'Median time from the step before to this one, in seconds (the mean of the middle two for an even count); null for step 1 or when nobody reached it.',
    ),
});
export type TFunnelStep = z.infer<typeof ZFunnelStep>;

export const ZFunnelResponse = z
  .object({
    windowSeconds: z.number().int(),
    steps: z.array(ZFunnelStep).describe('The whole funnel.'),
    breakdown: z
      .object({
        by: ZFunnelBreakdown,
        rows: z.array(z.object({ value: z.string(), steps: z.array(ZFunnelStep) })).describe('The values with the most entrants, most first.'),
      })
      .optional()
      .describe('Present when the request asked for a breakdown.'),
    ...answerProvenance,
  })
  .describe(FUNNEL_DEFINITION);
export type TFunnelResponse = z.infer<typeof ZFunnelResponse>;
