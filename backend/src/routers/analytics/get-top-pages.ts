import { ZTopPagesRequest, ZTopPagesResponse } from '@pulse/shared/analytics';
import { readProcedure } from '../../trpc/trpc.ts';

export const getTopPages = readProcedure
  .input(ZTopPagesRequest)
  .output(ZTopPagesResponse)
  .query(({ ctx, input }) => ctx.services.analytics.topPages(ctx.principal.tenant.id, input));
