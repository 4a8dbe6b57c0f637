import type { Redis } from 'ioredis';
import { afterAll, beforeAll, inject } from 'vitest';
import './provided-context.ts';
import { connectRedis } from '../infra/redis/redis-client.ts';

export interface TestRedis {
  redis: Redis;
  /** This run's key prefix, so tests never touch anyone else's keys in the shared Redis. */
  keyPrefix: string;
}

export async function connectTestRedis(): Promise<TestRedis> {
  return { redis: await connectRedis(inject('redisUrl')), keyPrefix: inject('redisKeyPrefix') };
}

/** A connection for the whole test file: filled in before the first test, closed after the last. */
export function useTestRedis(): TestRedis {
  const testRedis = {} as TestRedis;
  beforeAll(async () => {
    Object.assign(testRedis, await connectTestRedis());
  });
  afterAll(() => {
    testRedis.redis?.disconnect();
  });
  return testRedis;
}
