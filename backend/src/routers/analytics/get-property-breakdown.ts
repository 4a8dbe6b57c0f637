import { ZPropertyBreakdownRequest, ZPropertyBreakdownResponse } from '@pulse/shared/analytics';
import { readProcedure } from '../../trpc/trpc.ts';

export const getPropertyBreakdown = readProcedure
  .input(ZPropertyBreakdownRequest)
  .output(ZPropertyBreakdownResponse)
  .query(({ ctx, input }) => ctx.services.analytics.propertyBreakdown(ctx.principal.tenant.id, input));
