import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestRedis } from '../../test/test-redis.ts';
import type { KeyValueCache } from './key-value-cache.ts';
import { MemoryCache } from './memory-cache.ts';
import { RedisCache } from './redis-cache.ts';

const testRedis = useTestRedis();

describe.each<[string, () => KeyValueCache]>([
  ['MemoryCache', () => new MemoryCache()],
  ['RedisCache', () => new RedisCache(testRedis.redis, testRedis.keyPrefix)],
])('%s', (_name, create) => {
  const key = () => `contract:${randomBytes(4).toString('hex')}`;

  it('returns what was set, and null for what was not', async () => {
    const cache = create();
    const name = key();
    expect(await cache.get(name)).toBeNull();
    await cache.set(name, 'value', 60);
    expect(await cache.get(name)).toBe('value');
  });

  it('forgets a value once its TTL has passed', async () => {
    const cache = create();
    const name = key();
    await cache.set(name, 'short-lived', 1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await cache.get(name)).toBeNull();
  });

  it('counts increments from zero', async () => {
    const cache = create();
    const name = key();
    expect(await cache.increment(name)).toBe(1);
    expect(await cache.increment(name)).toBe(2);
    expect(await cache.get(name)).toBe('2');
  });
});
