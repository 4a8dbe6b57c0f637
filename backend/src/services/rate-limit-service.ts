import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error.ts';

/** Per-key limits on dashboard reads. (Ingest, admin and per-plan limits come with the resilience work.) */
export class RateLimitService {
  constructor(private readonly readLimiter: RateLimiterAbstract) {}

  async consumeRead(keyId: number): Promise<void> {
    try {
      await this.readLimiter.consume(`key:${keyId}`);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1_000));
      throw new AppError(
        'RATE_LIMITED',
        `read limit of ${this.readLimiter.points} requests per ${this.readLimiter.duration} s reached; retry in ${retryAfterSeconds} s`,
        {
          retryAfterSeconds,
          rateLimit: { limit: this.readLimiter.points, remaining: rejection.remainingPoints, resetSeconds: retryAfterSeconds },
        },
      );
    }
  }
}
