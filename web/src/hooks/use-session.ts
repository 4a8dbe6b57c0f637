import { useState, useTransition } from 'react';
import { queryClient } from '../lib/query-client.ts';
import { trpc } from '../lib/trpc.ts';
import { useSessionStore } from '../stores/session-store.ts';

/** Every answer on screen belongs to the previous tenant: drop them all and fetch the new tenant's. */
const showNewTenant = () => queryClient.resetQueries();

/** Signs in with a key (the server answers with the session cookie), into this browser's session. */
export function useKeySignIn() {
  const utils = trpc.useUtils();
  const [error, setError] = useState<unknown>(null);
  const [isPending, startTransition] = useTransition();

  const submit = (apiKey: string) =>
    startTransition(async () => {
      setError(null);
      try {
        await utils.client.auth.signIn.mutate({ apiKey });
        useSessionStore.getState().signedIn();
        await showNewTenant();
      } catch (caught) {
        setError(caught);
      }
    });

  return { submit, error, isPending };
}

/** The tenants this browser is signed in to, switching between them, and signing out of the current one. */
export function useSessionTenants() {
  const tenants = trpc.auth.sessionTenants.useQuery();
  const switchTenant = trpc.auth.switchTenant.useMutation({ onSuccess: showNewTenant });
  const signOut = trpc.auth.signOut.useMutation({ onSuccess: showNewTenant });
  return {
    tenants: tenants.data ?? [],
    switchTo: (keyId: number) => switchTenant.mutate({ keyId }),
    signOut: () => signOut.mutate(),
  };
}
