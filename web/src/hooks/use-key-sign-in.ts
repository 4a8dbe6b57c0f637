import { useState, useTransition } from 'react';
import { trpc, type TCallContext } from '../lib/trpc.ts';
import { useSessionStore } from '../stores/session-store.ts';

/** Checks a key with `auth.whoAmI` before keeping it, so a typo never becomes the session's key. */
export function useKeySignIn() {
  const utils = trpc.useUtils();
  const signIn = useSessionStore((state) => state.signIn);
  const [error, setError] = useState<unknown>(null);
  const [isPending, startTransition] = useTransition();

  const submit = (apiKey: string) =>
    startTransition(async () => {
      setError(null);
      try {
        const context: TCallContext = { apiKey };
        const whoAmI = await utils.client.auth.whoAmI.query(undefined, { context });
        signIn(apiKey);
        utils.auth.whoAmI.setData(undefined, whoAmI);
      } catch (caught) {
        setError(caught);
      }
    });

  return { submit, error, isPending };
}
