import type { Redis } from 'ioredis';
import { inject } from 'vitest';
import './provided-context.ts';
import { connectRedis } from '../infra/redis/redis-client.ts';

/** A connection to the test Redis, plus the run's key prefix so tests never touch anyone else's keys. */
export async function connectTestRedis(): Promise<{ redis: Redis; keyPrefix: string }> {
  return { redis: await connectRedis(inject('redisUrl')), keyPrefix: inject('redisKeyPrefix') };
}
