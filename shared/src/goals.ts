import { z } from 'zod';
import { ZDateRange, answerProvenance } from './analytics.ts';
import { ZEventMatch } from './event-match.ts';
import { ZFilters } from './filters.ts';
import { ZStorableString, unstorableTextIn } from './text.ts';

/** Goals a tenant may define: each is one pair of conditional aggregates in the report's single pass. */
export const MAX_GOALS = 50;

/** A goal's id: a row id as PostgreSQL's integer holds it. */
const ZGoalId = z.number().int().positive().max(2_147_483_647);

const ZGoalName = ZStorableString.trim().min(1, 'give the goal a name').max(100, 'a goal name has at most 100 characters');

/**
 * What a goal counts: an event name ("signup") or page views of a path, with optional property filters. Every
 * string is stored, so none may hold text PostgreSQL cannot store (the match's own schema allows any string).
 */
const ZStorableMatch = ZEventMatch.superRefine((match, ctx) => {
  const problem = unstorableTextIn(match);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}).describe('The conversion: an event name, or page views of a path, with optional filters on the same event.');

export const ZGoalInput = z.object({ name: ZGoalName, match: ZStorableMatch });
export type TGoalInput = z.input<typeof ZGoalInput>;

export const ZGoal = z.object({
  id: z.number().int(),
  name: z.string(),
  match: ZEventMatch,
});
export type TGoal = z.infer<typeof ZGoal>;
export const ZGoalList = z.array(ZGoal).describe('Every goal of the tenant, oldest first.');

export const ZCreateGoalRequest = ZGoalInput;
export type TCreateGoalRequest = z.infer<typeof ZCreateGoalRequest>;

export const ZUpdateGoalRequest = z
  .object({ id: ZGoalId, name: ZGoalName.optional(), match: ZStorableMatch.optional() })
  .refine((request) => request.name !== undefined || request.match !== undefined, { message: 'give a new name, a new match, or both' });
export type TUpdateGoalRequest = z.infer<typeof ZUpdateGoalRequest>;

export const ZDeleteGoalRequest = z.object({ id: ZGoalId });
export type TDeleteGoalRequest = z.infer<typeof ZDeleteGoalRequest>;

export const ZDeleteGoalResponse = z.object({ id: z.number().int(), deleted: z.literal(true) });

export const GOALS_REPORT_DEFINITION =
  'Per goal over [from, to): conversions are the events that match it, visitors the distinct visitors (userId, else anonymousId) with ' +
  'at least one; rate is those visitors over every visitor of the range. Bots are left out, and only events meeting `filters` count, ' +
  'for goals and for all visitors alike.';

export const ZGoalsReportRequest = ZDateRange.and(z.object({ filters: ZFilters.optional() })).describe(GOALS_REPORT_DEFINITION);
export type TGoalsReportRequest = z.input<typeof ZGoalsReportRequest>;

export const ZGoalResult = z.object({
  id: z.number().int(),
  name: z.string(),
  conversions: z.number().int().describe('Events that match the goal.'),
  visitors: z.number().int().describe('Distinct visitors with at least one matching event.'),
  rate: z.number().min(0).max(1).describe('visitors / all visitors of the range (0 when there are none).'),
});
export type TGoalResult = z.infer<typeof ZGoalResult>;

export const ZGoalsReportResponse = z
  .object({
    visitors: z.number().int().describe('Every visitor of the range (meeting `filters`): what each rate is a share of.'),
    goals: z.array(ZGoalResult).describe('Every goal of the tenant, oldest first.'),
    ...answerProvenance,
  })
  .describe(GOALS_REPORT_DEFINITION);
export type TGoalsReportResponse = z.infer<typeof ZGoalsReportResponse>;
