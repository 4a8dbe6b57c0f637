import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.ts';
import { RateLimitService } from '../../services/rate-limit-service.ts';
import { connectTestRedis, useTestRedis } from '../../test/test-redis.ts';
import { createRateLimiter } from './create-rate-limiter.ts';

const testRedis = useTestRedis();

const LIMIT = 5;

describe.each<[string, () => Redis | null]>([
  ['in-memory limiter (embedded mode)', () => null],
  ['Redis limiter (shared by instances)', () => testRedis.redis],
])('%s', (_name, store) => {
  const limiter = () =>
    createRateLimiter(store(), { points: LIMIT, durationSeconds: 60, keyPrefix: `${testRedis.keyPrefix}rl:${randomBytes(4).toString('hex')}` });

  it(`lets exactly ${LIMIT} requests through per window, then refuses with a retry time`, async () => {
    const service = new RateLimitService(limiter());
    for (let i = 0; i < LIMIT; i += 1) await service.consumeRead(1);
    const refusal = await service.consumeRead(1).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED' });
    expect((refusal as AppError).options.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((refusal as AppError).options.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('counts each key on its own', async () => {
    const service = new RateLimitService(limiter());
    for (let i = 0; i < LIMIT; i += 1) await service.consumeRead(1);
    await expect(service.consumeRead(2)).resolves.toBeUndefined();
  });
});

it('two instances sharing Redis share one budget', async () => {
  const options = { points: LIMIT, durationSeconds: 60, keyPrefix: `${testRedis.keyPrefix}rl:shared:${randomBytes(4).toString('hex')}` };
  const { redis: secondConnection } = await connectTestRedis();
  try {
    const instanceA = new RateLimitService(createRateLimiter(testRedis.redis, options));
    const instanceB = new RateLimitService(createRateLimiter(secondConnection, options));
    const results = await Promise.allSettled(
      Array.from({ length: LIMIT * 2 }, (_, i) => (i % 2 === 0 ? instanceA : instanceB).consumeRead(7)),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(LIMIT);
  } finally {
    secondConnection.disconnect();
  }
});
