import { trpc } from '../lib/trpc.ts';

// Errors of these changes are shown beside the controls, not as notices as well.
const SHOWN_IN_PLACE = { meta: { errorShownInPlace: true } };

/** The tenant's members and pending invitations (manageMembers), and the changes to them. */
export function useMembers() {
  const utils = trpc.useUtils();
  const refresh = { onSuccess: () => utils.members.list.invalidate(), ...SHOWN_IN_PLACE };
  return {
    list: trpc.members.list.useQuery(),
    /** Its link's token comes back this once, in `data`. */
    invite: trpc.members.invite.useMutation(refresh),
    revokeInvitation: trpc.members.revokeInvitation.useMutation(refresh),
    changeRole: trpc.members.changeRole.useMutation(refresh),
    remove: trpc.members.remove.useMutation(refresh),
  };
}
