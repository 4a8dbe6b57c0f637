import { ZSignOutResult } from '@pulse/shared/auth';
import { publicProcedure } from '../../trpc/trpc.ts';

/** Signs the browser out of its current tenant; the cookie goes when no tenant is left. */
export const signOut = publicProcedure.output(ZSignOutResult).mutation(async ({ ctx }) => {
  const result = await ctx.services.sessions.signOut(ctx.sessionToken ?? null);
  if (!result.signedIn) ctx.clearSessionCookie();
  return result;
});
