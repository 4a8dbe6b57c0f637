import type { PulseRouter } from '@pulse/client';
import { httpBatchLink, httpLink, httpSubscriptionLink, splitLink, type Operation } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';

export const trpc = createTRPCReact<PulseRouter>();

const TRPC_URL = '/trpc';

/** Per-call context: `apiKey` sends that key instead of the session's (the generator sending with an ingest key). */
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
  // The session cookie goes with every same-origin request by itself.
  // Well within the calls a server takes in one batch (TRPC_MAX_BATCH_CALLS, 50 by default): more go in another.
  false: httpBatchLink({ url: TRPC_URL, maxItems: 20 }),
});

export const trpcClient = trpc.createClient({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      // Server-sent Events; the EventSource sends the session cookie like any same-origin request.
      true: httpSubscriptionLink({ url: TRPC_URL }),
      false: queryLinks,
    }),
  ],
});
