import { ZLinkSignInRequest, ZPasswordSignInRequest } from '@pulse/shared/auth';
import { ZWhoAmI } from '@pulse/shared/system';
import type { SignedIn } from '../../services/account-service.ts';
import { SESSION_MAX_AGE_SECONDS } from '../../services/dashboard-session-service.ts';
import type { Context } from '../../trpc/context.ts';
import { publicProcedure } from '../../trpc/trpc.ts';
import { toWhoAmI } from './who-am-i.ts';

/** Puts the new session's cookie on the answer and says who the browser is now. */
export function answerSignedIn(ctx: Context, { principal, newToken }: SignedIn) {
  if (newToken) ctx.issueSessionCookie(newToken, SESSION_MAX_AGE_SECONDS);
  return toWhoAmI(principal);
}

/** A person signs in with their email and password (limited per account and per address). */
export const signInWithPassword = publicProcedure
  .input(ZPasswordSignInRequest)
  .output(ZWhoAmI)
  .mutation(async ({ ctx, input }) =>
    answerSignedIn(ctx, await ctx.services.accounts.signInWithPassword(input.email, input.password, ctx.clientAddress, ctx.sessionToken ?? null)),
  );

/** A person signs in with a one-time link (a demo start and `npm run admin -- sign-in-link` print one). */
export const signInWithLink = publicProcedure
  .input(ZLinkSignInRequest)
  .output(ZWhoAmI)
  .mutation(async ({ ctx, input }) => answerSignedIn(ctx, await ctx.services.accounts.signInWithLink(input.token, ctx.sessionToken ?? null)));
