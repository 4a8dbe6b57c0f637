import type { RedisConnection } from '../redis/redis-client.ts';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimiterOptions {
  /** Requests (or events) allowed per window. */
  points: number;
  durationSeconds: number;
  keyPrefix: string;
  /**
   * Instances sharing the Redis count. While Redis is unreachable each instance counts on its own, so its
   * insurance limiter allows only its share: together they never let more through than the limit.
   */
  instances?: number;
}

/**
 * One fixed-window limiter. With Redis the count is shared by every instance, and an in-memory insurance
 * limiter takes over while Redis is unreachable; without Redis the in-memory limiter is the whole story.
 */
export function createRateLimiter(redis: RedisConnection | null, options: RateLimiterOptions): RateLimiterAbstract {
  const memoryOptions = { points: options.points, duration: options.durationSeconds, keyPrefix: options.keyPrefix };
  if (!redis) return new RateLimiterMemory(memoryOptions);
  const share = Math.max(1, Math.floor(options.points / (options.instances ?? 1)));
  return new RateLimiterRedis({
    ...memoryOptions,
    storeClient: redis,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ ...memoryOptions, points: share }),
  });
}
