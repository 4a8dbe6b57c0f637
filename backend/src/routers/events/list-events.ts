import { ZEventListRequest, ZEventListResponse } from '@pulse/shared/events';
import { readProcedure } from '../../trpc/trpc.ts';

export const listEvents = readProcedure
  .input(ZEventListRequest)
  .output(ZEventListResponse)
  .query(({ ctx, input }) => ctx.services.eventQueries.list(ctx.principal.tenant.id, input));
