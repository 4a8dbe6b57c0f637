import { create } from 'zustand';
import { dropSearchParam, searchParamOf } from '../lib/address-bar.ts';

/**
 * Why the user last landed on the sign-in page, when it was not their own choice: their session's key was
 * refused, the key of the sign-in link they opened was, or the one-time sign-in link they opened was used or
 * expired.
 */
export type TSignOutReason = 'key-rejected' | 'link-rejected' | 'sign-in-link-rejected';

const INVITATION_PARAM = 'invitation';

/**
 * UI state of the sign-in only. The session itself is an HttpOnly cookie the server sets: no key is kept
 * where scripts can read it, and "signed in" is whatever `auth.whoAmI` answers.
 */
interface SessionState {
  signOutReason: TSignOutReason | null;
  /** The sign-in page is open to add another tenant to this browser's session. */
  addingTenant: boolean;
  /** The token of the invitation link this page was opened with (`?invitation=`), until accepted or put aside. */
  invitationToken: string | null;
  signedOut: (reason: TSignOutReason) => void;
  signedIn: () => void;
  setAddingTenant: (adding: boolean) => void;
  closeInvitation: () => void;
}

export const useSessionStore = create<SessionState>()((set) => ({
  signOutReason: null,
  addingTenant: false,
  invitationToken: searchParamOf(INVITATION_PARAM),
  signedOut: (reason) => set({ signOutReason: reason, addingTenant: false }),
  signedIn: () => set({ signOutReason: null, addingTenant: false }),
  setAddingTenant: (adding) => set({ addingTenant: adding }),
  closeInvitation: () => {
    dropSearchParam(INVITATION_PARAM);
    set({ invitationToken: null });
  },
}));

export const useSignOutReason = () => useSessionStore((state) => state.signOutReason);
export const useAddingTenant = () => useSessionStore((state) => state.addingTenant);
export const useInvitationToken = () => useSessionStore((state) => state.invitationToken);
