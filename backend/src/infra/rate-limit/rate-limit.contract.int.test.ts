import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.ts';
import type { Principal } from '../../services/principal.ts';
import { rateLimitsWith } from '../../services/rate-limit-plans.ts';
import { RateLimitService } from '../../services/rate-limit-service.ts';
import { connectTestRedis, useTestRedis } from '../../test/test-redis.ts';
import { useThrowawayCluster } from '../../test/throwaway-redis.ts';
import { connectRedisCluster, type RedisConnection } from '../redis/redis-client.ts';
import { createRateLimiter } from './create-rate-limiter.ts';

const testRedis = useTestRedis();
const cluster = useThrowawayCluster();

const TABLE = rateLimitsWith({ free: { read: 5, ingest: 10 }, pro: { read: 8 } });
const UNAUTHENTICATED = 3;

function principal(tenantId: number, plan = 'free', keyId = tenantId): Principal {
  return { keyId, scope: 'admin', tenant: { id: tenantId, slug: 't', name: 'T', plan } };
}

function limitService(redis: RedisConnection | null, options: { prefix?: string; instances?: number } = {}): RateLimitService {
  const prefix = options.prefix ?? `${testRedis.keyPrefix}rl:${randomBytes(4).toString('hex')}:`;
  return new RateLimitService({
    table: TABLE,
    unauthenticatedPerMinute: UNAUTHENTICATED,
    createLimiter: (name, points) => createRateLimiter(redis, { points, durationSeconds: 60, keyPrefix: prefix + name, instances: options.instances }),
  });
}

const refusalOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as AppError,
  );

describe.each<[string, () => RedisConnection | null]>([
  ['in-memory limiter (embedded mode)', () => null],
  ['Redis limiter (shared by instances)', () => testRedis.redis],
  ['Redis limiter on a 3-master cluster', () => cluster.client],
])('%s', (_name, store) => {
  it("lets exactly the plan's reads through per window, counting down, then refuses with a retry time", async () => {
    const service = limitService(store());
    const states = [];
    for (let i = 0; i < 5; i += 1) states.push(await service.consume(principal(1), 'read'));
    expect(states.map((state) => state.remaining)).toEqual([4, 3, 2, 1, 0]);
    expect(states.every((state) => state.limit === 5 && state.resetSeconds >= 1 && state.resetSeconds <= 60)).toBe(true);
    const refusal = await refusalOf(service.consume(principal(1), 'read'));
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^read limit of 5 requests per minute \(free plan\) reached; retry in \d+ s$/),
    });
    expect(refusal!.options.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refusal!.options.rateLimit).toMatchObject({ limit: 5, remaining: 0 });
  });

  it("counts each tenant, plan and class on its own; a tenant's keys share its allowance", async () => {
    const service = limitService(store());
    for (let i = 0; i < 5; i += 1) await service.consume(principal(1, 'free', 100 + i), 'read');
    expect(await refusalOf(service.consume(principal(1, 'free', 200), 'read'))).toMatchObject({ code: 'RATE_LIMITED' });
    await expect(service.consume(principal(2), 'read')).resolves.toMatchObject({ remaining: 4 });
    await expect(service.consume(principal(1), 'admin')).resolves.toMatchObject({ limit: 60 });
    await expect(service.consume(principal(3, 'pro'), 'read')).resolves.toMatchObject({ limit: 8, remaining: 7 });
  });

  it('counts the events of an ingest batch; a refused batch costs nothing', async () => {
    const service = limitService(store());
    await expect(service.consume(principal(1), 'ingest', 8)).resolves.toMatchObject({ limit: 10, remaining: 2 });
    const refusal = await refusalOf(service.consume(principal(1), 'ingest', 5));
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED', options: { rateLimit: { remaining: 2 } } });
    await expect(service.consume(principal(1), 'ingest', 2)).resolves.toMatchObject({ remaining: 0 });
  });

  it('refuses a batch larger than a whole window as too large, not as "retry later"', async () => {
    const refusal = await refusalOf(limitService(store()).consume(principal(1), 'ingest', 11));
    expect(refusal).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringMatching(/11 events is more than the free plan allows per minute \(10\)/),
    });
  });

  it('limits callers without a key by address', async () => {
    const service = limitService(store());
    for (let i = 0; i < UNAUTHENTICATED; i += 1) await service.consumeUnauthenticated('10.0.0.1');
    expect(await refusalOf(service.consumeUnauthenticated('10.0.0.1'))).toMatchObject({ code: 'RATE_LIMITED' });
    await expect(service.consumeUnauthenticated('10.0.0.2')).resolves.toMatchObject({ remaining: UNAUTHENTICATED - 1 });
  });
});

describe.each<[string, () => Promise<{ first: RedisConnection; second: RedisConnection; keyPrefix: string }>]>([
  ['Redis', async () => ({ first: testRedis.redis, second: (await connectTestRedis()).redis, keyPrefix: testRedis.keyPrefix })],
  ['a 3-master Redis Cluster', async () => ({ first: cluster.client, second: await connectRedisCluster(cluster.seedNodes), keyPrefix: 'pulse-test:' })],
])('on %s', (_name, connections) => {
  it('two instances sharing it share one budget', async () => {
    const { first, second, keyPrefix } = await connections();
    const prefix = `${keyPrefix}rl:shared:${randomBytes(4).toString('hex')}:`;
    try {
      const instances = [limitService(first, { prefix }), limitService(second, { prefix })];
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => instances[i % 2]!.consume(principal(7), 'read')));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    } finally {
      second.disconnect();
    }
  });
});

it('while Redis is unreachable, each of N instances allows only its share of the limit', async () => {
  // Nothing listens on port 1: the client never becomes ready, as during an outage.
  const unreachable = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  unreachable.on('error', () => {});
  try {
    const service = limitService(unreachable, { instances: 2 });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => service.consume(principal(1, 'pro'), 'read')));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(4);
  } finally {
    unreachable.disconnect();
  }
});
