import { ZTimeseriesRequest, ZTimeseriesResponse } from '@pulse/shared/analytics';
import { readProcedure } from '../../trpc/trpc.ts';

export const getTimeseries = readProcedure
  .input(ZTimeseriesRequest)
  .output(ZTimeseriesResponse)
  .query(({ ctx, input }) => ctx.services.analytics.timeseries(ctx.principal.tenant.id, input));
