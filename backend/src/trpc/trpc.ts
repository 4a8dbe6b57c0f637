import { initTRPC } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import type { TAppErrorCode } from '@pulse/shared/errors';
import { APP_ERROR_STATUS, AppError } from '../errors/app-error.ts';
import { describeIssues } from '../errors/describe-issues.ts';
import { assertScope } from '../services/api-key-service.ts';
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

/** Any valid API key; the tenant comes from the key, never from anything else the caller sends. */
export const tenantProcedure = t.procedure.use(async ({ ctx, next }) => {
  const principal = await ctx.services.apiKeys.authenticate(ctx.apiKey);
  return next({ ctx: { principal } });
});

/** Dashboard reads: a read or admin key, within the key's read rate limit. */
export const readProcedure = tenantProcedure.use(async ({ ctx, path, next }) => {
  assertScope(ctx.principal, ['read', 'admin'], path);
  await ctx.services.rateLimits.consumeRead(ctx.principal.keyId);
  return next();
});

/** Writing events: an ingest or admin key. */
export const ingestProcedure = tenantProcedure.use(async ({ ctx, path, next }) => {
  assertScope(ctx.principal, ['ingest', 'admin'], path);
  return next();
});
