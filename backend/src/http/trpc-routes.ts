import type { Request, RequestHandler } from 'express';
import type { TRPCError } from '@trpc/server';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { INGEST_LIMITS } from '@pulse/shared/ingest';
import { AppError, headersForAppError, rateLimitHeaders, tighterLimit, type RateLimitState } from '../errors/app-error.ts';
import { asAppError } from '../errors/dependency-outage.ts';
import type { Services } from '../runtime.ts';
import { appRouter } from '../trpc/app-router.ts';
import { createContextFactory, type Context } from '../trpc/context.ts';
import { trpcQueryFastPath } from './trpc-query-fast-path.ts';
import { trpcSubscriptionFastPath } from './trpc-subscription-fast-path.ts';

/** What both tRPC handlers do around a call, so they answer alike. */
export interface TrpcHttpHooks {
  createContext(options: { req: Request; info?: { connectionParams?: Record<string, string | undefined> | null } }): Context;
  /** Headers of the answer: those the call set (`RateLimit-*`, a session cookie), and `Retry-After` and the limit of an error. */
  headersFor(ctx: Context | undefined, errors: readonly TRPCError[]): Record<string, string>;
  onError(options: { error: TRPCError; path: string | undefined; req: Request }): void;
}

export function trpcHttpHooks(services: Services): TrpcHttpHooks {
  return {
    createContext: createContextFactory(services),
    headersFor(ctx, errors): Record<string, string> {
      const appErrors = errors.map((error) => asAppError(error.cause)).filter((cause) => cause !== null);
      // A batch is counted against several limits (and may be refused by some): report the tightest.
      const limits = [ctx?.rateLimit, ...appErrors.map((error) => error.options.rateLimit)].filter((limit) => limit != null);
      const tightest = limits.reduce<RateLimitState | null>(tighterLimit, null);
      // A body tRPC stopped reading for its size is not read to its end: the connection closes after the answer.
      const bodyRefused = errors.some((error) => error.code === 'PAYLOAD_TOO_LARGE' && !(error.cause instanceof AppError));
      return Object.assign(
        {},
        ...appErrors.map(headersForAppError),
        tightest ? rateLimitHeaders(tightest) : {},
        ctx?.setCookie ? { 'set-cookie': ctx.setCookie } : {},
        bodyRefused ? { connection: 'close' } : {},
        // Errors tRPC answers before a call runs (a content type it does not take, a bad batch) would go out as text/plain.
        errors.length > 0 ? { 'content-type': 'application/json' } : {},
      );
    },
    onError({ error, path, req }) {
      // AppErrors are answers to the caller (bad input, no key, ...); anything else is our bug.
      if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof AppError)) {
        req.log.error({ err: error.cause ?? error, procedure: path }, 'tRPC procedure failed');
      }
    },
  };
}

/** Calls one batch request may carry unless configured otherwise (TRPC_MAX_BATCH_CALLS). */
export const DEFAULT_MAX_BATCH_CALLS = 50;

/** tRPC's own Express adapter: every kind of call (mutations, batches, subscriptions, malformed requests). */
export function standardTrpcMiddleware(hooks: TrpcHttpHooks, maxBatchCalls = DEFAULT_MAX_BATCH_CALLS) {
  return createExpressMiddleware({
    router: appRouter,
    createContext: hooks.createContext,
    maxBodySize: INGEST_LIMITS.maxRequestBytes,
    // refuseOversizeBatches answers first, in words; this holds should anything reach the adapter another way.
    maxBatchSize: maxBatchCalls,
    responseMeta: ({ ctx, errors }) => ({ headers: hooks.headersFor(ctx, errors) }),
    onError: hooks.onError,
  });
}

/**
 * Mounted at /trpc: plain GET queries and subscriptions take the fast paths, everything else tRPC's adapter. Handlers rather
 * than a nested Router, which would cost every cached read another round of path matching.
 */
export function trpcRoutes(services: Services, maxBatchCalls = DEFAULT_MAX_BATCH_CALLS): RequestHandler[] {
  const hooks = trpcHttpHooks(services);
  return [
    refuseOversizeBatches(maxBatchCalls),
    trpcQueryFastPath(appRouter, hooks),
    trpcSubscriptionFastPath(appRouter, hooks),
    refuseUndecodablePaths,
    standardTrpcMiddleware(hooks, maxBatchCalls),
  ];
}

/** One request is one unit of admission and of the deadline: a batch of hundreds of exports would be one request. */
function refuseOversizeBatches(maxBatchCalls: number): RequestHandler {
  return (req, _res, next) => {
    if (req.query.batch !== '1') return next();
    let paths = req.path;
    try {
      paths = decodeURIComponent(paths);
    } catch {
      // Counted as sent; refuseUndecodablePaths answers it if it is within the limit.
    }
    const calls = paths.split(',').length;
    if (calls <= maxBatchCalls) return next();
    throw new AppError(
      'BAD_REQUEST',
      `this batch has ${calls.toLocaleString('en-US')} calls; the limit is ${maxBatchCalls} (TRPC_MAX_BATCH_CALLS): send fewer calls per request`,
    );
  };
}

/** tRPC's adapter answers a path that is not valid percent-encoding with a 500: it is the caller's mistake. */
const refuseUndecodablePaths: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    throw new AppError('BAD_REQUEST', `the path /trpc${req.path} is not valid percent-encoding; procedure paths look like /trpc/analytics.summary`);
  }
  next();
};
