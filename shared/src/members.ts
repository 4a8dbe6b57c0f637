import { z } from 'zod';
import { ZEmail, ZNewPassword } from './auth.ts';
import { ZRole } from './roles.ts';

const ZRowId = z.number().int().positive().max(2_147_483_647);

export const ZMember = z.object({
  userId: z.number().int(),
  email: z.string(),
  role: ZRole,
  joinedAt: z.iso.datetime(),
  you: z.boolean().describe('Whether this member is the caller.'),
});
export type TMember = z.infer<typeof ZMember>;

export const ZPendingInvitation = z.object({
  id: z.number().int(),
  role: ZRole,
  invitedBy: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type TPendingInvitation = z.infer<typeof ZPendingInvitation>;

export const ZMemberList = z.object({ members: z.array(ZMember), invitations: z.array(ZPendingInvitation) });
export type TMemberList = z.infer<typeof ZMemberList>;

export const ZInviteRequest = z.object({
  role: ZRole,
  expiresInDays: z.number().int().min(1).max(30).default(7).describe('How long the link works; a week unless said.'),
});
export type TInviteRequest = z.input<typeof ZInviteRequest>;

export const ZCreatedInvitation = ZPendingInvitation.extend({
  token: z.string().describe("The link's secret. Shown this once: only its hash is stored."),
});
export type TCreatedInvitation = z.infer<typeof ZCreatedInvitation>;

export const ZRevokeInvitationRequest = z.object({ id: ZRowId });
export const ZChangeRoleRequest = z.object({ userId: ZRowId, role: ZRole });
export const ZRemoveMemberRequest = z.object({ userId: ZRowId });

/** What the link's page shows before anyone accepts. */
export const ZInvitationPreview = z.object({ tenantName: z.string(), role: ZRole, expiresAt: z.iso.datetime() });
export type TInvitationPreview = z.infer<typeof ZInvitationPreview>;

export const ZInvitationToken = z.object({ token: z.string().trim().min(1).max(200) });

/**
 * Accepting an invitation: as the person signed in already (no account fields), with an existing account's
 * email and password, or with a new account's.
 */
export const ZAcceptInvitationRequest = z.discriminatedUnion('account', [
  ZInvitationToken.extend({ account: z.literal('signed-in') }),
  ZInvitationToken.extend({ account: z.literal('existing'), email: ZEmail, password: z.string().min(1).max(200) }),
  ZInvitationToken.extend({ account: z.literal('new'), email: ZEmail, password: ZNewPassword }),
]);
export type TAcceptInvitationRequest = z.infer<typeof ZAcceptInvitationRequest>;
