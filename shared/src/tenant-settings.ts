import { z } from 'zod';
import { ZPlan } from './plans.ts';

export const ZTenantSettings = z.object({
  plan: ZPlan,
  retentionDays: z.number().int().describe('Days of data kept now.'),
  maxRetentionDays: z.number().int().describe("The plan's maximum."),
  retentionIsPlanMaximum: z.boolean().describe("Whether the tenant keeps the plan's maximum (and follows it when the plan changes)."),
});
export type TTenantSettings = z.infer<typeof ZTenantSettings>;

export const ZSetRetentionRequest = z.object({
  retentionDays: z.number().int().min(1, 'keep data for at least a day').max(3_650).nullable().describe("null: the plan's maximum."),
});
export const ZSetPlanRequest = z.object({ plan: ZPlan });
