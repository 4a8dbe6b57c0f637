import type { AppRouter } from '@pulse/backend/trpc/app-router';
import { httpBatchLink, httpLink, httpSubscriptionLink, splitLink, type Operation } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import { useSessionStore } from '../stores/session-store.ts';

export const trpc = createTRPCReact<AppRouter>();

const TRPC_URL = '/trpc';

/** Per-call context: `apiKey` sends that key instead of the signed-in one (used to check a key before sign-in). */
export type TCallContext = { apiKey?: string };

function overrideKeyOf(op: Operation): string | undefined {
  const { apiKey } = op.context as TCallContext;
  return typeof apiKey === 'string' ? apiKey : undefined;
}

function authorizationHeader(apiKey: string | null | undefined): Record<string, string> {
  return apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
}

const queryLinks = splitLink({
  // A key under test goes alone so it can never lend its header to other calls in the same batch.
  condition: (op) => overrideKeyOf(op) !== undefined,
  true: httpLink({ url: TRPC_URL, headers: ({ op }) => authorizationHeader(overrideKeyOf(op)) }),
  // Read at request time so a new sign-in applies without rebuilding the client.
  false: httpBatchLink({ url: TRPC_URL, headers: () => authorizationHeader(useSessionStore.getState().apiKey) }),
});

export const trpcClient = trpc.createClient({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      // Server-sent Events; an EventSource cannot send headers, so the key goes as a connection parameter.
      true: httpSubscriptionLink({ url: TRPC_URL, connectionParams: () => ({ apiKey: useSessionStore.getState().apiKey ?? '' }) }),
      false: queryLinks,
    }),
  ],
});
