import { ZSignOutResult } from '@pulse/shared/auth';
import { z } from 'zod';
import { publicProcedure } from '../../trpc/trpc.ts';

/** Signs the browser out of its current tenant's key, or a person out of this browser; the cookie goes when nothing is left. */
export const signOut = publicProcedure.output(ZSignOutResult).mutation(async ({ ctx }) => {
  const result = await ctx.services.sessions.signOut(ctx.sessionToken ?? null);
  if (!result.signedIn) ctx.clearSessionCookie();
  return result;
});

/** Ends every session of the signed-in person, in every browser. */
export const signOutEverywhere = publicProcedure.output(z.object({ sessionsEnded: z.number().int() })).mutation(async ({ ctx }) => {
  const result = await ctx.services.sessions.signOutEverywhere(ctx.sessionToken ?? null);
  ctx.clearSessionCookie();
  return result;
});
