import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { useSessionStore } from '../stores/session-store.ts';
import { useNoticeStore } from '../stores/notice-store.ts';
import { describeError, isClientFault, isUnauthorized } from './trpc-errors.ts';

const MAX_RETRIES = 2;

function signOutIfKeyRejected(error: unknown): void {
  if (isUnauthorized(error)) useSessionStore.getState().signOut('key-rejected');
}

function notify(error: unknown): void {
  const { title, detail, hint } = describeError(error);
  useNoticeStore.getState().show({ title, message: `${detail} ${hint}` });
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      signOutIfKeyRejected(error);
      // A first load that fails is shown where its data would be; a refresh that fails behind shown data, here.
      if (query.state.data !== undefined && !isUnauthorized(error)) notify(error);
    },
  }),
  mutationCache: new MutationCache({
    onError: (error, _variables, _onMutateResult, mutation) => {
      signOutIfKeyRejected(error);
      if (!isUnauthorized(error) && mutation.meta?.errorShownInPlace !== true) notify(error);
    },
  }),
  defaultOptions: {
    queries: { retry: (failureCount, error) => !isClientFault(error) && failureCount < MAX_RETRIES },
  },
});

// Cached answers belong to the tenant whose key fetched them; the next key must not see them.
useSessionStore.subscribe((state, previous) => {
  if (previous.apiKey !== null && state.apiKey !== previous.apiKey) queryClient.clear();
});
