import { ZSignInRequest } from '@pulse/shared/auth';
import { ZWhoAmI } from '@pulse/shared/system';
import { SESSION_MAX_AGE_SECONDS } from '../../services/dashboard-session-service.ts';
import { publicProcedure } from '../../trpc/trpc.ts';
import { toWhoAmI } from './who-am-i.ts';

/** Dashboard sign-in: a read or admin key buys an HttpOnly, SameSite=Strict session cookie. */
export const signIn = publicProcedure
  .input(ZSignInRequest)
  .output(ZWhoAmI)
  .mutation(async ({ ctx, input }) => {
    const { principal, newToken } = await ctx.services.sessions.signIn(input.apiKey, ctx.sessionToken ?? null);
    if (newToken) ctx.issueSessionCookie(newToken, SESSION_MAX_AGE_SECONDS);
    return toWhoAmI(principal);
  });
