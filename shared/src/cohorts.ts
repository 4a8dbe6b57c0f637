import { z } from 'zod';
import { answerProvenance, ZDateRange, ZTimeZone } from './analytics.ts';
import { ZEventMatch } from './event-match.ts';
import { ZFilters } from './filters.ts';

export const COHORT_PERIODS = ['day', 'week', 'month'] as const;
export const ZCohortPeriod = z.enum(COHORT_PERIODS);
export type TCohortPeriod = z.infer<typeof ZCohortPeriod>;

/** At most this many cohorts (periods) in one triangle: a longer range asks for a coarser period. */
export const MAX_COHORTS = 60;

/**
 * Retention by cohort. Only human events (not bots) with a visitor (userId, else anonymousId) inside
 * [from, to) count; events before `from` are not looked at. A visitor's cohort is the period (in `timeZone`)
 * of their first cohort event in the range. Cell (cohort c, offset k) counts the visitors of cohort c with at
 * least one return event in period c + k; offset 0 is the cohort's own period.
 */
export const ZRetentionRequest = ZDateRange.and(
  z.object({
    period: ZCohortPeriod.default('week').describe(
      `How cohorts and returns are grouped: local days, weeks (starting Monday) or months. Every period that starts before "to" is one cohort (at most ${MAX_COHORTS}).`,
    ),
    timeZone: ZTimeZone.describe('Periods start at local midnight in this zone.'),
    cohortEvent: ZEventMatch.optional().describe(
      'What puts a visitor in a cohort: the period of their first such event in the range ("first seen in the range", counting from `from`, not ever). None: any event.',
    ),
    returnEvent: ZEventMatch.optional().describe(
      'What counts as returning in a period: at least one such event in it, at any time of it (in the cohort period too). None: any event.',
    ),
    filters: ZFilters.optional().describe('Conditions every event considered, cohort or return, meets (AND); none: every event.'),
  }),
);
export type TRetentionRequest = z.input<typeof ZRetentionRequest>;

const ZRetentionCell = z.object({
  returned: z.number().int().describe('Visitors of the cohort with a return event in this period.'),
  percent: z.number().describe('returned / size of the cohort, as a fraction from 0 to 1 (0 for an empty cohort).'),
});

export const ZRetentionResponse = z.object({
  period: ZCohortPeriod,
  timeZone: z.string(),
  periods: z
    .array(
      z.object({
        start: z.string().describe('Start of the cohort period (local midnight in timeZone), an ISO 8601 instant; the first may lie before `from`.'),
        size: z.number().int().describe('Visitors whose first cohort event in the range falls in this period.'),
        values: z.array(ZRetentionCell).describe('One cell per offset, 0 (the cohort period itself) up to the last period of the range: the triangle.'),
      }),
    )
    .describe('One row per period of the range, oldest first, empty cohorts included.'),
  ...answerProvenance,
});
export type TRetentionResponse = z.infer<typeof ZRetentionResponse>;
