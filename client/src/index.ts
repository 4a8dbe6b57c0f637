import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError, type TRPCClient, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
// Relative imports name the .js files the build emits, so the published declarations resolve in any project.
import type { PulseRouter } from './pulse-router.js';

export type { PulseRouter } from './pulse-router.js';
/** Each procedure's input, by path: `PulseInputs['analytics']['summary']`. */
export type PulseInputs = inferRouterInputs<PulseRouter>;
/** Each procedure's output, by path: `PulseOutputs['analytics']['summary']`. */
export type PulseOutputs = inferRouterOutputs<PulseRouter>;
export type PulseClient = TRPCClient<PulseRouter>;

export interface PulseClientOptions {
  /** The server's address, e.g. `https://pulse.example.com` (the API is under `/trpc`). */
  url: string;
  /** A read, ingest or admin key, sent as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** Another fetch (one with a proxy agent, say); the global one by default. */
  fetch?: typeof globalThis.fetch;
  /**
   * For live streams (subscriptions such as `analytics.live`): browsers have one; on Node.js pass the
   * `eventsource` package's. The key goes in tRPC's connection parameters, as EventSource cannot send headers.
   */
  EventSource?: typeof globalThis.EventSource;
}

/** Calls one request carries at most (the server takes up to TRPC_MAX_BATCH_CALLS, 50 by default). */
const MAX_CALLS_PER_BATCH = 20;

/**
 * A typed client for Pulse's API: `await pulse.analytics.summary.query({ from, to })`. Queries and mutations
 * made in the same tick go in one request; subscriptions are Server-sent Events that resume after the last
 * event they received.
 */
export function createPulseClient(options: PulseClientOptions): PulseClient {
  const url = `${options.url.replace(/\/+$/, '')}/trpc`;
  const EventSource = options.EventSource ?? globalThis.EventSource;
  return createTRPCClient<PulseRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: EventSource ? httpSubscriptionLink({ url, EventSource, connectionParams: { apiKey: options.apiKey } }) : noEventSource,
        false: httpBatchLink({ url, headers: { authorization: `Bearer ${options.apiKey}` }, fetch: options.fetch, maxItems: MAX_CALLS_PER_BATCH }),
      }),
    ],
  });
}

/** Where there is no EventSource, a subscription fails at once and says what to pass. */
const noEventSource: TRPCLink<PulseRouter> =
  () =>
  ({ op }) =>
    observable((observer) => {
      observer.error(
        new TRPCClientError(
          `${op.path} is a live stream, and this runtime has no EventSource: pass createPulseClient({ EventSource }) (on Node.js, the eventsource package's)`,
        ),
      );
    });
