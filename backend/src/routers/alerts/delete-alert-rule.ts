import { ZAlertRuleIdRequest, ZDeleted } from '@pulse/shared/alerts';
import { insightsProcedure } from '../../trpc/trpc.ts';

export const deleteAlertRule = insightsProcedure
  .input(ZAlertRuleIdRequest)
  .output(ZDeleted)
  .mutation(({ ctx, input }) => ctx.services.alerts.delete(ctx.principal.tenant.id, input.id));
