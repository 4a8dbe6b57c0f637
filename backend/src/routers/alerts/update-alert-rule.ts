import { ZAlertRule, ZUpdateAlertRuleRequest } from '@pulse/shared/alerts';
import { insightsProcedure } from '../../trpc/trpc.ts';

export const updateAlertRule = insightsProcedure
  .input(ZUpdateAlertRuleRequest)
  .output(ZAlertRule)
  .mutation(({ ctx, input }) => ctx.services.alerts.update(ctx.principal.tenant.id, input));
