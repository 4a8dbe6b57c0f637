import { z } from 'zod';
import { ZPlan } from './plans.ts';

/** A tenant's events against its monthly quota, in the quota period running now. */
export const ZUsageResponse = z.object({
  plan: ZPlan,
  quota: z.number().int().nullable().describe('Events the plan allows per period; null: no quota (the enterprise plan).'),
  used: z.number().int().describe('Events stored in this period by ingestion (duplicates and refused events not counted).'),
  periodStart: z.iso.datetime().describe('When this period began: the first instant of the calendar month in UTC, unless QUOTA_PERIOD_SECONDS is set.'),
  resetsAt: z.iso.datetime().describe('When the next period begins and the count starts again from zero.'),
});
export type TUsageResponse = z.infer<typeof ZUsageResponse>;
