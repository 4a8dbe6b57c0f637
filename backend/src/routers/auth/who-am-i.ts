import { ZWhoAmI } from '@pulse/shared/system';
import { tenantProcedure } from '../../trpc/trpc.ts';

export const whoAmI = tenantProcedure
  .output(ZWhoAmI)
  .query(({ ctx }) => ({ tenant: ctx.principal.tenant, scope: ctx.principal.scope }));
