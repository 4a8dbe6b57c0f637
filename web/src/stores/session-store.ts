import { create } from 'zustand';

/**
 * Why the user last landed on the sign-in page, when it was not their own choice: their session's key was
 * refused, or the key of the sign-in link they opened was.
 */
export type TSignOutReason = 'key-rejected' | 'link-rejected';

/**
 * UI state of the sign-in only. The session itself is an HttpOnly cookie the server sets: no key is kept
 * where scripts can read it, and "signed in" is whatever `auth.whoAmI` answers.
 */
interface SessionState {
  signOutReason: TSignOutReason | null;
  /** The sign-in page is open to add another tenant to this browser's session. */
  addingTenant: boolean;
  signedOut: (reason: TSignOutReason) => void;
  signedIn: () => void;
  setAddingTenant: (adding: boolean) => void;
}

export const useSessionStore = create<SessionState>()((set) => ({
  signOutReason: null,
  addingTenant: false,
  signedOut: (reason) => set({ signOutReason: reason, addingTenant: false }),
  signedIn: () => set({ signOutReason: null, addingTenant: false }),
  setAddingTenant: (adding) => set({ addingTenant: adding }),
}));

export const useSignOutReason = () => useSessionStore((state) => state.signOutReason);
export const useAddingTenant = () => useSessionStore((state) => state.addingTenant);
