import { initTRPC } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { INGEST_LIMITS } from '@pulse/shared/ingest';
import { ZodError } from 'zod';
import type { TAppErrorCode } from '@pulse/shared/errors';
import { APP_ERROR_STATUS, bodyTooLargeError, tighterLimit } from '../errors/app-error.ts';
import { asAppError } from '../errors/dependency-outage.ts';
import { describeIssues } from '../errors/describe-issues.ts';
import type { TPermission } from '@pulse/shared/roles';
import type { Criticality } from '../infra/load/load-monitor.ts';
import { eventsInRequest, type RateLimitClass } from '../services/rate-limit-plans.ts';
import type { Context } from './context.ts';

export interface ProcedureMeta {
  /** What admission control sheds first under load (ingestion critical, exports sheddable). */
  criticality: Criticality;
  /** What the caller must be allowed to do (shared/src/roles.ts); absent: public, or any caller of a tenant. */
  permission?: TPermission;
}

// The one tRPC instance. Only building blocks leave this file, never `t` itself.
const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    defaultMeta: { criticality: 'default' },
    // Subscriptions (Server-sent Events): a ping keeps proxies from closing a quiet stream, and a client that
    // hears nothing for longer reconnects (resuming after the last id it received).
    sse: {
      ping: { enabled: true, intervalMs: 10_000 },
      client: { reconnectAfterInactivityMs: 25_000 },
    },
    // Never send stack traces to callers, whatever NODE_ENV says.
    isDev: false,
    errorFormatter({ shape, error }) {
      const appError = asAppError(error.cause);
      if (appError) {
        const { httpStatus, trpcCode } = APP_ERROR_STATUS[appError.code];
        return {
          ...shape,
          message: appError.message,
          code: TRPC_ERROR_CODES_BY_KEY[trpcCode],
          data: {
            ...shape.data,
            code: trpcCode,
            httpStatus,
            appCode: appError.code,
            retryAfterSeconds: appError.options.retryAfterSeconds,
          },
        };
      }
      const message = error.cause instanceof ZodError ? `invalid input: ${describeIssues(error.cause)}` : clearerMessage(error.code, shape.message);
      const appCode = appCodeForStatus(shape.data.httpStatus);
      return {
        ...shape,
        message: appCode === 'INTERNAL' ? 'internal error; it has been logged' : message,
        data: { ...shape.data, appCode, retryAfterSeconds: undefined },
      };
    },
  });

/** tRPC's own errors say only their code where there is more to say. */
function clearerMessage(code: TRPC_ERROR_CODE_KEY, message: string): string {
  if (message !== code) return message;
  // tRPC's adapter stops reading a body past its maxBodySize (the ingestion request limit, trpc-routes.ts).
  if (code === 'PAYLOAD_TOO_LARGE') return bodyTooLargeError(INGEST_LIMITS.maxRequestBytes).message;
  return message;
}

function appCodeForStatus(httpStatus: number): TAppErrorCode {
  const match = Object.entries(APP_ERROR_STATUS).find(([, status]) => status.httpStatus === httpStatus);
  if (match) return match[0] as TAppErrorCode;
  return httpStatus >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// One middleware per procedure kind: each level of tRPC middleware copies the call's options, a visible
// cost on cached reads.

/** Unauthenticated calls, limited per client address. */
export const publicProcedure = t.procedure.use(async ({ ctx, next }) => {
  ctx.rateLimit = tighterLimit(ctx.rateLimit, await ctx.services.rateLimits.consumeUnauthenticated(ctx.clientAddress));
  return next();
});

/**
 * Calls of a tenant's key or dashboard session that holds `permission` (none: any), counted against the limit of
 * `kind` (by the tenant's plan). The tenant comes from the key or session, never from anything else the caller
 * sends. Every change they make (a mutation that succeeded; events are data, not changes) goes to the audit log.
 */
function permittedProcedure(permission: TPermission | null, kind: RateLimitClass, pointsOf?: (rawInput: unknown) => number) {
  const procedure = t.procedure.use(async ({ ctx, path, type, getRawInput, next }) => {
    const principal = await ctx.services.access.authenticate(ctx, permission);
    // Only a procedure that counts its input reads it here: a call without input may come without a body.
    const points = pointsOf ? pointsOf(await getRawInput()) : 1;
    ctx.rateLimit = tighterLimit(ctx.rateLimit, await ctx.services.rateLimits.consume(principal, kind, points));
    const result = await next({ ctx: { principal } });
    if (result.ok && type === 'mutation' && permission !== 'ingest') {
      // A mutation without input may come without a body, which tRPC cannot read as input: nothing to record then.
      const input = await getRawInput().catch(() => undefined);
      // Not awaited: the answer does not wait on the audit log's write, which the very fault a caller just
      // injected (slow or failing PostgreSQL writes) may hold up. A failed write is logged.
      void ctx.services.audit.recordChange(principal, path, input);
    }
    return result;
  });
  return permission ? procedure.meta({ criticality: 'default', permission }) : procedure;
}

/** Any caller of a tenant: any valid key or dashboard session. */
export const tenantProcedure = permittedProcedure(null, 'read');
/** Dashboard reads: every role, read and admin keys. */
export const readProcedure = permittedProcedure('read', 'read');
/** Writing events: owners, admins, ingest and admin keys; the limit counts events, not requests. */
export const ingestProcedure = permittedProcedure('ingest', 'ingest', eventsInRequest).meta({ criticality: 'critical' });
/** Boards, goals and alert rules: editors and up. */
export const insightsProcedure = permittedProcedure('editInsights', 'admin');
export const scenariosProcedure = permittedProcedure('runScenarios', 'admin');
export const faultsProcedure = permittedProcedure('injectFaults', 'admin');
export const keysProcedure = permittedProcedure('manageKeys', 'admin');
export const membersProcedure = permittedProcedure('manageMembers', 'admin');
export const retentionProcedure = permittedProcedure('manageRetention', 'admin');
export const planProcedure = permittedProcedure('managePlan', 'admin');
export const auditProcedure = permittedProcedure('viewAudit', 'read');
