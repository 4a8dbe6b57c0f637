import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { useSessionStore } from '../stores/session-store.ts';
import { isClientFault, isUnauthorized } from './trpc-errors.ts';

const MAX_RETRIES = 2;

function signOutIfKeyRejected(error: unknown): void {
  if (isUnauthorized(error)) useSessionStore.getState().signOut('key-rejected');
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: signOutIfKeyRejected }),
  mutationCache: new MutationCache({ onError: signOutIfKeyRejected }),
  defaultOptions: {
    queries: { retry: (failureCount, error) => !isClientFault(error) && failureCount < MAX_RETRIES },
  },
});

// Cached answers belong to the tenant whose key fetched them; the next key must not see them.
useSessionStore.subscribe((state, previous) => {
  if (previous.apiKey !== null && state.apiKey !== previous.apiKey) queryClient.clear();
});
