import { ZAlertHistory, ZAlertHistoryRequest } from '@pulse/shared/alerts';
import { readProcedure } from '../../trpc/trpc.ts';

export const getAlertHistory = readProcedure
  .input(ZAlertHistoryRequest)
  .output(ZAlertHistory)
  .query(({ ctx, input }) => ctx.services.alerts.history(ctx.principal.tenant.id, input.id, input.limit));
