import type { TPasswordSignInRequest, TSessionTenant } from '@pulse/shared/auth';
import { useState, useTransition } from 'react';
import { queryClient } from '../lib/query-client.ts';
import { trpc } from '../lib/trpc.ts';
import { useSessionStore } from '../stores/session-store.ts';

/** Every answer on screen belongs to the previous tenant (or person): drop them all and fetch the new ones. */
export const showNewTenant = () => queryClient.resetQueries();

/**
 * A sign-in call (the server answers with the session cookie), its error kept for the form to show. Not a
 * mutation: a refused password is not a session that ended, which is what the mutation cache takes a 401 for.
 */
export function useSignInWith<TInput>(signIn: (input: TInput) => Promise<unknown>, onSignedIn?: () => void) {
  const [error, setError] = useState<unknown>(null);
  const [isPending, startTransition] = useTransition();

  const submit = (input: TInput) =>
    startTransition(async () => {
      setError(null);
      try {
        await signIn(input);
        useSessionStore.getState().signedIn();
        await showNewTenant();
        onSignedIn?.();
      } catch (caught) {
        setError(caught);
      }
    });

  return { submit, error, isPending };
}

/** Signs in with a key, into this browser's key session. */
export function useKeySignIn() {
  const utils = trpc.useUtils();
  return useSignInWith((apiKey: string) => utils.client.auth.signIn.mutate({ apiKey }));
}

/** Signs a person in with their email and password; the browser's earlier session is replaced. */
export function usePasswordSignIn() {
  const utils = trpc.useUtils();
  return useSignInWith((request: TPasswordSignInRequest) => utils.client.auth.signInWithPassword.mutate(request));
}

/** The tenants this browser is signed in to, switching between them, and signing out of the current one. */
export function useSessionTenants() {
  const tenants = trpc.auth.sessionTenants.useQuery();
  const switchTenant = trpc.auth.switchTenant.useMutation({ onSuccess: showNewTenant });
  const signOut = trpc.auth.signOut.useMutation({ onSuccess: showNewTenant });
  return {
    tenants: tenants.data ?? [],
    // A key entry is switched to by its key, a membership by its tenant.
    switchTo: (entry: TSessionTenant) => switchTenant.mutate(entry.keyId === null ? { tenantId: entry.tenantId } : { keyId: entry.keyId }),
    signOut: () => signOut.mutate(),
  };
}
