import { ZGoalsReportRequest, ZGoalsReportResponse } from '@pulse/shared/goals';
import { readProcedure } from '../../trpc/trpc.ts';

/** Every goal's conversions, visitors and conversion rate over a range (analytics.goals). */
export const getGoalsReport = readProcedure
  .input(ZGoalsReportRequest)
  .output(ZGoalsReportResponse)
  .query(({ ctx, input }) => ctx.services.goals.report(ctx.principal.tenant.id, input));
