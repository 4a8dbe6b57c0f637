import { router } from '../../trpc/trpc.ts';
import { changeRole, leaveTenant, removeMember } from './change-member.ts';
import { inviteMember, revokeInvitation } from './invite-member.ts';
import { listMembers } from './list-members.ts';

export const membersRouter = router({
  list: listMembers,
  invite: inviteMember,
  revokeInvitation,
  changeRole,
  remove: removeMember,
  leave: leaveTenant,
});
