import { ZSetPlanRequest, ZSetRetentionRequest, ZTenantSettings } from '@pulse/shared/tenant-settings';
import { planProcedure, readProcedure, retentionProcedure, router } from '../../trpc/trpc.ts';

const settings = readProcedure.output(ZTenantSettings).query(({ ctx }) => ctx.services.tenantSettings.get(ctx.principal.tenant.id));

const setRetention = retentionProcedure
  .input(ZSetRetentionRequest)
  .output(ZTenantSettings)
  .mutation(({ ctx, input }) => ctx.services.tenantSettings.setRetention(ctx.principal.tenant.id, input.retentionDays));

const setPlan = planProcedure
  .input(ZSetPlanRequest)
  .output(ZTenantSettings)
  .mutation(({ ctx, input }) => ctx.services.tenantSettings.setPlan(ctx.principal.tenant.id, input.plan));

export const tenantRouter = router({ settings, setRetention, setPlan });
