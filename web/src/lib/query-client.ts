import { notifications, notificationsStore } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { useSessionStore } from '../stores/session-store.ts';
import { describeError, isClientFault, isUnauthorized } from './trpc-errors.ts';

const MAX_RETRIES = 2;

/**
 * A 401 where the dashboard had been answered before means the session ended (expired, key revoked): back to
 * the sign-in page, saying why. A first load without a session is just the sign-in page.
 */
export function signOutIfSessionEnded(error: unknown, hadData = true): void {
  if (isUnauthorized(error) && hadData) useSessionStore.getState().signedOut('key-rejected');
}

/** How long an error notice stays up, unless closed first. */
const NOTICE_SHOWN_FOR_MS = 8_000;

/** Errors that happen away from what the user is looking at (a background refresh, a send) become notices. */
function notify(error: unknown): void {
  const { title, detail, hint } = describeError(error);
  // One notice per kind of error: the same error from several queries, or from each poll of one (whose
  // details, such as when to retry, change), updates the notice that is up instead of stacking another.
  const notice = { id: title, title, message: `${detail} ${hint}`, color: 'red', withBorder: true, autoClose: NOTICE_SHOWN_FOR_MS };
  const shown = notificationsStore.getState().notifications.some((current) => current.id === notice.id);
  if (shown) notifications.update(notice);
  else notifications.show(notice);
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      signOutIfSessionEnded(error, query.state.data !== undefined);
      // A first load that fails is shown where its data would be; a refresh that fails behind shown data, here.
      if (query.state.data !== undefined && !isUnauthorized(error)) notify(error);
    },
  }),
  mutationCache: new MutationCache({
    onError: (error, _variables, _onMutateResult, mutation) => {
      signOutIfSessionEnded(error, true);
      if (!isUnauthorized(error) && mutation.meta?.errorShownInPlace !== true) notify(error);
    },
  }),
  defaultOptions: {
    queries: { retry: (failureCount, error) => !isClientFault(error) && failureCount < MAX_RETRIES },
  },
});
