import { ZSessionTenants, ZSwitchTenantRequest } from '@pulse/shared/auth';
import { ZWhoAmI } from '@pulse/shared/system';
import { publicProcedure } from '../../trpc/trpc.ts';
import { toWhoAmI } from './who-am-i.ts';

/** The tenants this browser is signed in to (none without a session), the current one marked. */
export const sessionTenants = publicProcedure.output(ZSessionTenants).query(({ ctx }) => ctx.services.sessions.tenants(ctx.sessionToken ?? null));

/** Makes another tenant of this browser's session the current one. */
export const switchTenant = publicProcedure
  .input(ZSwitchTenantRequest)
  .output(ZWhoAmI)
  .mutation(async ({ ctx, input }) => {
    const principal = await ctx.services.sessions.switchTenant(ctx.sessionToken ?? null, input);
    return toWhoAmI(principal);
  });
