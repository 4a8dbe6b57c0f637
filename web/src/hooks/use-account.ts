import { trpc } from '../lib/trpc.ts';
import { showNewTenant } from './use-session.ts';

const SHOWN_IN_PLACE = { meta: { errorShownInPlace: true } };

/** The signed-in person's own account: their password, and signing out of every browser. */
export function useAccount() {
  const changePassword = trpc.auth.changePassword.useMutation(SHOWN_IN_PLACE);
  const signOutEverywhere = trpc.auth.signOutEverywhere.useMutation({ onSuccess: showNewTenant });
  return { changePassword, signOutEverywhere };
}

/** Leaving the current tenant (any member but its last owner); the dashboard then shows another of theirs, or the sign-in page. */
export function useLeaveTenant() {
  return trpc.members.leave.useMutation({ onSuccess: showNewTenant, ...SHOWN_IN_PLACE });
}
