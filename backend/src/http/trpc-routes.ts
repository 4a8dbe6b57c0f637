import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import type { TRPCError } from '@trpc/server';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { INGEST_LIMITS } from '@pulse/shared/ingest';
import { AppError, headersForAppError } from '../errors/app-error.ts';
import type { Services } from '../runtime.ts';
import { appRouter } from '../trpc/app-router.ts';
import { createContextFactory, type Context } from '../trpc/context.ts';
import { trpcQueryFastPath } from './trpc-query-fast-path.ts';

/** What both tRPC handlers do around a call, so they answer alike. */
export interface TrpcHttpHooks {
  createContext(options: { req: { headers: IncomingHttpHeaders } }): Context;
  /** Headers of an answer that carries these errors: `Retry-After` and `RateLimit-*` when one of them has them. */
  headersFor(errors: readonly TRPCError[]): Record<string, string>;
  onError(options: { error: TRPCError; path: string | undefined }): void;
}

export function trpcHttpHooks(services: Services): TrpcHttpHooks {
  return {
    createContext: createContextFactory(services),
    headersFor(errors): Record<string, string> {
      return Object.assign({}, ...errors.map((error) => (error.cause instanceof AppError ? headersForAppError(error.cause) : {})));
    },
    onError({ error, path }) {
      // AppErrors are answers to the caller (bad input, no key, ...); anything else is our bug.
      if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof AppError)) {
        console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
      }
    },
  };
}

/** tRPC's own Express adapter: every kind of call (mutations, batches, subscriptions, malformed requests). */
export function standardTrpcMiddleware(hooks: TrpcHttpHooks) {
  return createExpressMiddleware({
    router: appRouter,
    createContext: hooks.createContext,
    maxBodySize: INGEST_LIMITS.maxRequestBytes,
    responseMeta: ({ errors }) => ({ headers: hooks.headersFor(errors) }),
    onError: hooks.onError,
  });
}

/**
 * Mounted at /trpc: plain GET queries take the fast path, everything else tRPC's adapter. Handlers rather
 * than a nested Router, which would cost every cached read another round of path matching.
 */
export function trpcRoutes(services: Services): RequestHandler[] {
  const hooks = trpcHttpHooks(services);
  return [trpcQueryFastPath(appRouter, hooks), standardTrpcMiddleware(hooks)];
}
