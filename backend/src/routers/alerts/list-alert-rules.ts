import { ZAlertRuleList } from '@pulse/shared/alerts';
import { readProcedure } from '../../trpc/trpc.ts';

export const listAlertRules = readProcedure
  .output(ZAlertRuleList)
  .query(({ ctx }) => ctx.services.alerts.list(ctx.principal.tenant.id, ctx.principal.tenant.plan));
