import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRedis } from '../../test/test-redis.ts';
import { useThrowawayCluster } from '../../test/throwaway-redis.ts';
import { MemoryTagStore } from './memory-tag-store.ts';
import { RedisTagStore } from './redis-tag-store.ts';
import type { CacheEntry, TagStore } from './tag-store.ts';

const testRedis = useTestRedis();
const cluster = useThrowawayCluster();

const entry = (value: string): CacheEntry => ({ value, storedAt: Date.now(), freshUntil: Date.now() + 60_000 });
const unique = () => randomBytes(4).toString('hex');
/** Only for waiting out a TTL, where expiry is the behaviour under test. */
const waitOutTtl = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const stores: Array<[string, () => TagStore]> = [
  ['MemoryTagStore', () => new MemoryTagStore({ maxEntries: 1_000 })],
  ['RedisTagStore', () => new RedisTagStore(testRedis.redis, testRedis.keyPrefix)],
  ['RedisTagStore on a 3-master cluster', () => new RedisTagStore(cluster.client, 'pulse-test:')],
];

describe.each(stores)('%s', (_name, create) => {
  let store: TagStore;
  beforeAll(() => {
    store = create();
  });

  it('returns what was written, only when asked with the tags it was written with', async () => {
    const key = `k-${unique()}`;
    const tags = [`day:${unique()}`, `live:${unique()}`];
    expect(await store.set(1, key, entry('a'), tags, [0, 0], 60_000)).toBe(true);
    expect((await store.get(1, key, tags))?.value).toBe('a');
    expect(await store.get(1, key, tags.slice(0, 1))).toBeNull();
    expect(await store.get(2, key, tags)).toBeNull();
  });

  it('hides every entry of an invalidated tag at once, and leaves other tags and tenants alone', async () => {
    const tag = `day:${unique()}`;
    await store.set(1, 'in-tag', entry('x'), [tag], await store.generations(1, [tag]), 60_000);
    await store.set(1, 'other-tag', entry('y'), ['other'], await store.generations(1, ['other']), 60_000);
    await store.set(2, 'other-tenant', entry('z'), [tag], await store.generations(2, [tag]), 60_000);
    await store.invalidate(1, [tag]);
    expect(await store.get(1, 'in-tag', [tag])).toBeNull();
    expect((await store.get(1, 'other-tag', ['other']))?.value).toBe('y');
    expect((await store.get(2, 'other-tenant', [tag]))?.value).toBe('z');
  });

  it('refuses a write whose generations were read before an invalidation', async () => {
    const tag = `day:${unique()}`;
    const key = `k-${unique()}`;
    const before = await store.generations(1, [tag]);
    await store.invalidate(1, [tag]);
    expect(await store.set(1, key, entry('stale'), [tag], before, 60_000)).toBe(false);
    expect(await store.get(1, key, [tag])).toBeNull();
    expect(await store.set(1, key, entry('fresh'), [tag], await store.generations(1, [tag]), 60_000)).toBe(true);
    expect((await store.get(1, key, [tag]))?.value).toBe('fresh');
  });

  it('forgets an entry once its TTL has passed', async () => {
    const key = `k-${unique()}`;
    await store.set(1, key, entry('short'), ['t'], await store.generations(1, ['t']), 100);
    // The 100 ms TTL running out is the behaviour under test.
    await waitOutTtl(200);
    expect(await store.get(1, key, ['t'])).toBeNull();
  });
});

describe.each<[string, () => { redis: Redis | Cluster; prefix: string }]>([
  ['Redis', () => ({ redis: testRedis.redis, prefix: testRedis.keyPrefix })],
  ['Redis Cluster', () => ({ redis: cluster.client, prefix: 'pulse-test:' })],
])('RedisTagStore internals on %s', (_name, connection) => {
  let redis: Redis | Cluster;
  let store: RedisTagStore;
  beforeAll(() => {
    const { redis: client, prefix } = connection();
    redis = client;
    store = new RedisTagStore(client, prefix);
  });

  it("keeps a tag's set at least as long as its longest-lived member", async () => {
    const tag = `t-${unique()}`;
    await store.set(7, 'long', entry('l'), [tag], [0], 60_000);
    await store.set(7, 'short', entry('s'), [tag], [0], 1_000);
    expect(await redis.pttl(store.tagKey(7, tag))).toBeGreaterThan(55_000);
    expect(await redis.zcard(store.tagKey(7, tag))).toBe(2);
  });

  it('writes nothing, neither value nor membership, when it refuses a write', async () => {
    const tag = `t-${unique()}`;
    await store.invalidate(7, [tag]);
    expect(await store.set(7, 'refused', entry('r'), [tag], [0], 60_000)).toBe(false);
    expect(await redis.exists(store.valueKey(7, 'refused'), store.tagKey(7, tag))).toBe(0);
  });

  it('prunes members whose values expired when the tag is written again', async () => {
    const tag = `t-${unique()}`;
    for (let i = 0; i < 20; i += 1) await store.set(7, `gone-${tag}-${i}`, entry('g'), [tag], [0], 50);
    // The members' 50 ms TTL runs out: pruning them is what is tested.
    await waitOutTtl(100);
    await store.set(7, `kept-${tag}`, entry('k'), [tag], [0], 60_000);
    expect(await redis.zrange(store.tagKey(7, tag), 0, -1)).toEqual([store.valueKey(7, `kept-${tag}`)]);
  });

  it('removes every key of an invalidated tag, in chunks, and no set is left behind', async () => {
    const tag = `big-${unique()}`;
    const members = 20_000;
    const pipeline = redis.pipeline();
    for (let i = 0; i < members; i += 1) {
      (pipeline as unknown as { tagCacheSet(...args: Array<string | number>): void }).tagCacheSet(
        3,
        store.valueKey(8, `${tag}-${i}`),
        store.tagKey(8, tag),
        store.generationKey(8, tag),
        '{}',
        60_000,
        '0',
      );
    }
    await pipeline.exec();
    expect(await redis.zcard(store.tagKey(8, tag))).toBe(members);
    await store.invalidate(8, [tag]);
    expect(await redis.exists(store.valueKey(8, `${tag}-0`), store.valueKey(8, `${tag}-${members - 1}`), store.tagKey(8, tag))).toBe(0);
  }, 60_000);
});
