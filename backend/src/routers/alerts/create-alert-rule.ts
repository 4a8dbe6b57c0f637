import { ZAlertRule, ZCreateAlertRuleRequest } from '@pulse/shared/alerts';
import { insightsProcedure } from '../../trpc/trpc.ts';

export const createAlertRule = insightsProcedure
  .input(ZCreateAlertRuleRequest)
  .output(ZAlertRule)
  .mutation(({ ctx, input }) => ctx.services.alerts.create(ctx.principal.tenant.id, input));
