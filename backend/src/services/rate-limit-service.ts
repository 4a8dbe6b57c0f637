import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError, type RateLimitState } from '../errors/app-error.ts';
import type { Principal } from './principal.ts';
import type { RateLimitClass, RateLimitTable } from './rate-limit-plans.ts';

export interface RateLimitServiceOptions {
  /** Allowance per tenant and minute, by plan and class, shared by all the tenant's keys. */
  table: RateLimitTable;
  /** Allowance per client address and window for requests without a valid key. */
  unauthenticatedPerMinute: number;
  /** The window every limit counts over: a minute, unless shortened for tests and demos. */
  windowSeconds?: number;
  /** A limiter over that window; `name` keeps the counts of different limits apart. */
  createLimiter(name: string, pointsPerWindow: number): RateLimiterAbstract;
}

const UNITS: Record<RateLimitClass, string> = { ingest: 'events', read: 'requests', admin: 'requests' };

/** Per-tenant limits by plan and class of call, and per-address limits for callers without a valid key. */
export class RateLimitService {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private readonly refusals: Record<RateLimitClass | 'unauthenticated', number> = { ingest: 0, read: 0, admin: 0, unauthenticated: 0 };

  constructor(private readonly options: RateLimitServiceOptions) {}

  /** Counts `points` (events for ingestion, else 1) against the tenant's allowance; past it, RATE_LIMITED. */
  async consume(principal: Principal, kind: RateLimitClass, points = 1): Promise<RateLimitState> {
    const plan = principal.tenant.plan in this.options.table ? (principal.tenant.plan as keyof RateLimitTable) : 'free';
    const limit = this.options.table[plan][kind];
    if (points > limit) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `a batch of ${points.toLocaleString('en')} events is more than the ${plan} plan allows per ${this.window()} (${limit.toLocaleString('en')}); send smaller batches`,
      );
    }
    const limiter = this.limiter(`${kind}:${plan}`, limit);
    // Per tenant, not per key: a tenant's admin cannot multiply the plan's allowance by creating keys.
    return this.take(
      kind,
      limiter,
      `tenant:${principal.tenant.id}`,
      points,
      `${kind} limit of ${limit.toLocaleString('en')} ${UNITS[kind]} per ${this.window()} (${plan} plan) reached`,
    );
  }

  /** Counts a request that came without a valid API key against its client address. */
  async consumeUnauthenticated(clientAddress: string): Promise<RateLimitState> {
    const limit = this.options.unauthenticatedPerMinute;
    const limiter = this.limiter('unauthenticated', limit);
    return this.take('unauthenticated', limiter, `ip:${clientAddress}`, 1, `limit of ${limit} requests per ${this.window()} without a valid API key reached`);
  }

  private window(): string {
    const seconds = this.options.windowSeconds ?? 60;
    return seconds === 60 ? 'minute' : `${seconds} s`;
  }

  private limiter(name: string, pointsPerWindow: number): RateLimiterAbstract {
    let limiter = this.limiters.get(name);
    if (!limiter) {
      limiter = this.options.createLimiter(name, pointsPerWindow);
      this.limiters.set(name, limiter);
    }
    return limiter;
  }

  /** Refused calls per limit class since the instance started. */
  refusalCounts(): Record<RateLimitClass | 'unauthenticated', number> {
    return { ...this.refusals };
  }

  private async take(
    kind: RateLimitClass | 'unauthenticated',
    limiter: RateLimiterAbstract,
    key: string,
    points: number,
    reached: string,
  ): Promise<RateLimitState> {
    try {
      const result = await limiter.consume(key, points);
      return { limit: limiter.points, remaining: result.remainingPoints, resetSeconds: secondsUntil(result.msBeforeNext) };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      this.refusals[kind] += 1;
      // A refused call costs nothing: a refused large batch must not use up the room smaller ones still have.
      await limiter.reward(key, points).catch(() => {});
      const retryAfterSeconds = secondsUntil(rejection.msBeforeNext);
      const remaining = Math.max(0, limiter.points - (rejection.consumedPoints - points));
      throw new AppError('RATE_LIMITED', `${reached}; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
        rateLimit: { limit: limiter.points, remaining, resetSeconds: retryAfterSeconds },
      });
    }
  }
}

function secondsUntil(milliseconds: number): number {
  return Math.max(1, Math.ceil(milliseconds / 1_000));
}
