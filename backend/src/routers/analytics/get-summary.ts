import { ZSummaryRequest, ZSummaryResponse } from '@pulse/shared/analytics';
import { readProcedure } from '../../trpc/trpc.ts';

export const getSummary = readProcedure
  .input(ZSummaryRequest)
  .output(ZSummaryResponse)
  .query(({ ctx, input }) => ctx.services.analytics.summary(ctx.principal.tenant.id, input));
