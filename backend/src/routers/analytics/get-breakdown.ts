import { ZBreakdownRequest, ZBreakdownResponse } from '@pulse/shared/analytics';
import { readProcedure } from '../../trpc/trpc.ts';

export const getBreakdown = readProcedure
  .input(ZBreakdownRequest)
  .output(ZBreakdownResponse)
  .query(({ ctx, input }) => ctx.services.analytics.breakdown(ctx.principal.tenant.id, input));
