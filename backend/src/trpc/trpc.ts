import { initTRPC } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import type { TAppErrorCode } from '@pulse/shared/errors';
import { APP_ERROR_STATUS, AppError } from '../errors/app-error.ts';
import { describeIssues } from '../errors/describe-issues.ts';
import type { ApiKeyScope } from '../generated/prisma/client.ts';
import { assertScope, type Principal } from '../services/api-key-service.ts';
import type { Context } from './context.ts';

// The one tRPC instance. Only building blocks leave this file, never `t` itself.
const t = initTRPC.context<Context>().create({
  // Never send stack traces to callers, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    if (error.cause instanceof AppError) {
      const { httpStatus, trpcCode } = APP_ERROR_STATUS[error.cause.code];
      return {
        ...shape,
        message: error.cause.message,
        code: TRPC_ERROR_CODES_BY_KEY[trpcCode],
        data: {
          ...shape.data,
          code: trpcCode,
          httpStatus,
          appCode: error.cause.code,
          retryAfterSeconds: error.cause.options.retryAfterSeconds,
        },
      };
    }
    const message = error.cause instanceof ZodError ? `invalid input: ${describeIssues(error.cause)}` : shape.message;
    const appCode = appCodeForStatus(shape.data.httpStatus);
    return {
      ...shape,
      message: appCode === 'INTERNAL' ? 'internal error; it has been logged' : message,
      data: { ...shape.data, appCode, retryAfterSeconds: undefined },
    };
  },
});

function appCodeForStatus(httpStatus: number): TAppErrorCode {
  const match = Object.entries(APP_ERROR_STATUS).find(([, status]) => status.httpStatus === httpStatus);
  if (match) return match[0] as TAppErrorCode;
  return httpStatus >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/** The caller's principal, from the API key alone; with `scopes`, only a key of one of them will do. */
async function principalOf(ctx: Context, path: string, scopes?: readonly ApiKeyScope[]): Promise<Principal> {
  const principal = await ctx.services.apiKeys.authenticate(ctx.apiKey);
  if (scopes) assertScope(principal, scopes, path);
  return principal;
}

// One middleware per procedure kind: each level of tRPC middleware copies the call's options, a visible
// cost on cached reads.

/** Any valid API key; the tenant comes from the key, never from anything else the caller sends. */
export const tenantProcedure = t.procedure.use(async ({ ctx, path, next }) => next({ ctx: { principal: await principalOf(ctx, path) } }));

/** Dashboard reads: a read or admin key, within the key's read rate limit. */
export const readProcedure = t.procedure.use(async ({ ctx, path, next }) => {
  const principal = await principalOf(ctx, path, ['read', 'admin']);
  await ctx.services.rateLimits.consumeRead(principal.keyId);
  return next({ ctx: { principal } });
});

/** Writing events: an ingest or admin key. */
export const ingestProcedure = t.procedure.use(async ({ ctx, path, next }) => next({ ctx: { principal: await principalOf(ctx, path, ['ingest', 'admin']) } }));
