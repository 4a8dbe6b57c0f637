import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/** Why the user last landed on the sign-in page, when it was not their own choice. */
export type TSignOutReason = 'key-rejected';

interface SessionState {
  apiKey: string | null;
  signOutReason: TSignOutReason | null;
  signIn: (apiKey: string) => void;
  signOut: (reason?: TSignOutReason) => void;
}

export const useSessionStore = create<SessionState>()(
  persist(
    (set) => ({
      apiKey: null,
      signOutReason: null,
      signIn: (apiKey) => set({ apiKey, signOutReason: null }),
      signOut: (reason) => set({ apiKey: null, signOutReason: reason ?? null }),
    }),
    {
      name: 'pulse-session',
      partialize: (state) => ({ apiKey: state.apiKey }),
    },
  ),
);

export const useApiKey = () => useSessionStore((state) => state.apiKey);
export const useSignOutReason = () => useSessionStore((state) => state.signOutReason);
export const useSignOut = () => useSessionStore((state) => state.signOut);
