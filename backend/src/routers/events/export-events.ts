import { ZEventExportRequest, ZEventListResponse } from '@pulse/shared/events';
import { readProcedure } from '../../trpc/trpc.ts';

/** Large pages of the log, for export: optional work, refused first when the instance is busy. */
export const exportEvents = readProcedure
  .meta({ criticality: 'sheddable' })
  .input(ZEventExportRequest)
  .output(ZEventListResponse)
  .query(({ ctx, input }) => ctx.services.eventQueries.list(ctx.principal.tenant.id, input));
