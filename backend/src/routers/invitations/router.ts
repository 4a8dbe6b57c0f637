import { ZAcceptInvitationRequest, ZInvitationPreview, ZInvitationToken } from '@pulse/shared/members';
import { ZWhoAmI } from '@pulse/shared/system';
import { publicProcedure, router } from '../../trpc/trpc.ts';
import { answerSignedIn } from '../auth/sign-in-as-person.ts';

/** Public: the link's page shows what it invites to before anyone signs in. */
const preview = publicProcedure
  .input(ZInvitationToken)
  .output(ZInvitationPreview)
  .query(({ ctx, input }) => ctx.services.members.preview(input.token));

/** Joins as the person signed in, an existing account or a new one; the browser is then signed in as them. */
const accept = publicProcedure
  .input(ZAcceptInvitationRequest)
  .output(ZWhoAmI)
  .mutation(async ({ ctx, input }) => answerSignedIn(ctx, await ctx.services.accounts.acceptInvitation(input, ctx.sessionToken ?? null, ctx.clientAddress)));

export const invitationsRouter = router({ preview, accept });
