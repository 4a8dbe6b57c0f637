import { ZCreatedInvitation, ZInviteRequest, ZPendingInvitation, ZRevokeInvitationRequest } from '@pulse/shared/members';
import { membersProcedure } from '../../trpc/trpc.ts';

/** A one-time link that makes whoever opens it a member with the role; its token is shown this once. */
export const inviteMember = membersProcedure
  .input(ZInviteRequest)
  .output(ZCreatedInvitation)
  .mutation(({ ctx, input }) => ctx.services.members.invite(ctx.principal, input.role, input.expiresInDays));

export const revokeInvitation = membersProcedure
  .input(ZRevokeInvitationRequest)
  .output(ZPendingInvitation)
  .mutation(({ ctx, input }) => ctx.services.members.revokeInvitation(ctx.principal, input.id));
