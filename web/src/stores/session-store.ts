import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/** Why the user last landed on the sign-in page, when it was not their own choice. */
export type TSignOutReason = 'key-rejected';

/** A key this browser signed in with before, for the tenant switcher. */
export interface TKnownKey {
  apiKey: string;
  tenantName: string;
  scope: string;
}

interface SessionState {
  apiKey: string | null;
  signOutReason: TSignOutReason | null;
  knownKeys: TKnownKey[];
  signIn: (apiKey: string) => void;
  signOut: (reason?: TSignOutReason) => void;
  /** Records (or refreshes) a key's tenant for the switcher, without changing the session. */
  rememberKey: (known: TKnownKey) => void;
}

export const useSessionStore = create<SessionState>()(
  persist(
    (set) => ({
      apiKey: null,
      signOutReason: null,
      knownKeys: [],
      signIn: (apiKey) => set({ apiKey, signOutReason: null }),
      // A rejected key is forgotten; signing out by choice keeps the others for the switcher.
      signOut: (reason) =>
        set((state) => ({
          apiKey: null,
          signOutReason: reason ?? null,
          knownKeys: reason === 'key-rejected' ? state.knownKeys.filter((entry) => entry.apiKey !== state.apiKey) : state.knownKeys,
        })),
      rememberKey: (known) =>
        set((state) =>
          state.knownKeys.some((entry) => entry.apiKey === known.apiKey && entry.tenantName === known.tenantName && entry.scope === known.scope)
            ? state
            : { knownKeys: [...state.knownKeys.filter((entry) => entry.apiKey !== known.apiKey), known] },
        ),
    }),
    {
      name: 'pulse-session',
      partialize: (state) => ({ apiKey: state.apiKey, knownKeys: state.knownKeys }),
    },
  ),
);

export const useApiKey = () => useSessionStore((state) => state.apiKey);
export const useSignOutReason = () => useSessionStore((state) => state.signOutReason);
export const useSignOut = () => useSessionStore((state) => state.signOut);
