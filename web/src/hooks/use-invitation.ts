import type { TAcceptInvitationRequest } from '@pulse/shared/members';
import { trpc } from '../lib/trpc.ts';
import { useSessionStore } from '../stores/session-store.ts';
import { useSignInWith } from './use-session.ts';

type TDistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** How to join: as the person signed in, or with an existing or a new account's email and password. */
export type TInvitationAccount = TDistributiveOmit<TAcceptInvitationRequest, 'token'>;

/** The invitation link's preview, and accepting it: the browser is then signed in as that person, in that tenant. */
export function useInvitation(token: string) {
  const utils = trpc.useUtils();
  // An unknown or used link stays so; asking again would not help.
  const preview = trpc.invitations.preview.useQuery({ token }, { retry: false });
  const accept = useSignInWith(
    (account: TInvitationAccount) => utils.client.invitations.accept.mutate({ token, ...account }),
    // Once the new tenant's answers are in, so the dashboard shows at once.
    () => useSessionStore.getState().closeInvitation(),
  );
  return { preview, accept: accept.submit, acceptError: accept.error, isAccepting: accept.isPending };
}
