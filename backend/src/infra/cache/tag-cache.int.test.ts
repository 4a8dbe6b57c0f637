import { createBreakers, DEFAULT_BREAKER_CONFIG } from '../breakers/create-breakers.ts';
import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../../test/tcp-proxy.ts';
import { useTestRedis } from '../../test/test-redis.ts';
import { startThrowawayCluster, startThrowawayRedis, useThrowawayCluster } from '../../test/throwaway-redis.ts';
import { MemoryPubSub } from '../pubsub/memory-pubsub.ts';
import type { PubSub } from '../pubsub/pubsub.ts';
import { RedisPubSub } from '../pubsub/redis-pubsub.ts';
import { connectRedis, connectRedisCluster } from '../redis/redis-client.ts';
import { RedisLink } from '../redis/redis-link.ts';
import { MemoryTagStore } from './memory-tag-store.ts';
import type { PendingLimits } from './pending-invalidations.ts';
import { RedisTagStore } from './redis-tag-store.ts';
import { TagCache, type TierPolicy } from './tag-cache.ts';

const testRedis = useTestRedis();
const cluster = useThrowawayCluster();

const unique = () => randomBytes(4).toString('hex');
/** Only where time is the point: a loader that takes a while, or a TTL running out. */
const letTimePass = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two instances sharing one L2 and one pub/sub, as two backend processes would. */
interface Instances {
  a: TagCache;
  b: TagCache;
  close(): Promise<void>;
}

async function twoInstances(redis: Redis | Cluster, prefix: string, tiers?: Record<'live' | 'recent' | 'archive', TierPolicy>): Promise<Instances> {
  const channel = `${prefix}cache-invalidations:${unique()}`;
  const pubsubs: PubSub[] = [new RedisPubSub(redis), new RedisPubSub(redis)];
  const [a, b] = pubsubs.map(
    (pubsub) =>
      new TagCache({
        l1: new MemoryTagStore({ maxEntries: 10_000 }),
        l2: new RedisTagStore(redis, prefix),
        pubsub,
        invalidationChannel: channel,
        tiers,
        breakers: createBreakers(),
      }),
  ) as [TagCache, TagCache];
  await a.start();
  await b.start();
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await Promise.all(pubsubs.map((pubsub) => pubsub.close()));
    },
  };
}

describe.each<[string, () => { redis: Redis | Cluster; prefix: string }]>([
  ['Redis', () => ({ redis: testRedis.redis, prefix: testRedis.keyPrefix })],
  ['a 3-master Redis Cluster', () => ({ redis: cluster.client, prefix: 'pulse-test:' })],
])('TagCache on %s', (_name, connection) => {
  let instances: Instances;
  beforeAll(async () => {
    const { redis, prefix } = connection();
    instances = await twoInstances(redis, prefix);
  });
  afterAll(async () => {
    await instances.close();
  });

  it('never stores an answer computed before an invalidation as fresh after it (1,000 latched races)', async () => {
    const { a, b } = instances;
    let version = 0;
    let staleReads = 0;
    for (let round = 0; round < 1_000; round += 1) {
      const key = `latch-${unique()}`;
      const tags = [`day:${round % 7}`];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let loaderStarted!: () => void;
      const started = new Promise<void>((resolve) => (loaderStarted = resolve));
      const slowRead = a.wrap(1, key, {
        tags,
        tier: 'archive',
        load: async () => {
          const seen = version;
          loaderStarted();
          await gate;
          return seen;
        },
      });
      await started;
      version += 1;
      await b.invalidateTags(1, tags);
      release();
      await slowRead;
      for (const instance of [a, b]) {
        const after = await instance.wrap(1, key, { tags, tier: 'archive', load: async () => version });
        if (after.value !== version) staleReads += 1;
      }
    }
    expect(staleReads).toBe(0);
  }, 120_000);

  it('loads a cold key once per instance however many read it at once', async () => {
    const { a, b } = instances;
    const key = `stampede-${unique()}`;
    let loads = 0;
    const load = async () => {
      loads += 1;
      // A slow load, so the other readers arrive while it runs.
      await letTimePass(50);
      return 'answer';
    };
    const reads = Array.from({ length: 1_000 }, (_, index) => (index % 2 === 0 ? a : b).wrap(1, key, { tags: ['live'], tier: 'live', load }));
    const answers = await Promise.all(reads);
    expect(answers.every((answer) => answer.value === 'answer')).toBe(true);
    expect(loads).toBeGreaterThanOrEqual(1);
    expect(loads).toBeLessThanOrEqual(2);
  });

  it("drops another instance's L1 copy within 50 ms of an invalidation", async () => {
    const { a, b } = instances;
    const key = `l1-${unique()}`;
    const tags = [`day:${unique()}`];
    await a.wrap(1, key, { tags, tier: 'archive', load: async () => 'old' });
    expect(await b.wrap(1, key, { tags, tier: 'archive', load: async () => 'unused' })).toMatchObject({ value: 'old', source: 'l2' });
    expect(await b.wrap(1, key, { tags, tier: 'archive', load: async () => 'unused' })).toMatchObject({ value: 'old', source: 'l1' });

    const invalidated = Date.now();
    await a.invalidateTags(1, tags);
    await vi.waitFor(async () => expect((await b.wrap(1, key, { tags, tier: 'archive', load: async () => 'new' })).value).toBe('new'), {
      timeout: 1_000,
      interval: 2,
    });
    expect(Date.now() - invalidated).toBeLessThan(50);
  });

  it('get reads without loading, set writes for every instance, and an invalidation retires both copies', async () => {
    const { a, b } = instances;
    const key = `get-set-${unique()}`;
    const options = { tags: [`day:${unique()}`], tier: 'archive' as const };
    expect(await a.get(1, key, options)).toBeNull();
    await a.set(1, key, { totalEvents: 3 }, options);
    expect(await a.get(1, key, options)).toMatchObject({ value: { totalEvents: 3 }, source: 'l1', stale: false });
    expect(await b.get(1, key, options)).toMatchObject({ value: { totalEvents: 3 }, source: 'l2' });
    expect(await b.get(1, key, options)).toMatchObject({ source: 'l1' });
    expect(await b.get(2, key, options)).toBeNull();

    await a.invalidateTags(1, options.tags);
    expect(await a.get(1, key, options)).toBeNull();
    const invalidated = Date.now();
    await vi.waitFor(async () => expect(await b.get(1, key, options)).toBeNull(), { timeout: 1_000, interval: 2 });
    expect(Date.now() - invalidated).toBeLessThan(50);
  });

  it('serves a stale answer in its grace window once, while one background load refreshes it', async () => {
    const tiers = { live: { ttlMs: 100, graceMs: 5_000 }, recent: { ttlMs: 100, graceMs: 5_000 }, archive: { ttlMs: 100, graceMs: 5_000 } };
    const { redis, prefix } = connection();
    const instances = await twoInstances(redis, prefix, tiers);
    try {
      const key = `swr-${unique()}`;
      let loads = 0;
      const load = async () => {
        loads += 1;
        return `v${loads}`;
      };
      expect((await instances.a.wrap(1, key, { tags: ['live'], tier: 'live', load })).value).toBe('v1');
      // The 100 ms TTL running out is what makes the answer stale.
      await letTimePass(150);
      const stale = await Promise.all(Array.from({ length: 10 }, () => instances.a.wrap(1, key, { tags: ['live'], tier: 'live', load })));
      expect(stale.every((answer) => answer.value === 'v1' && answer.stale)).toBe(true);
      // The one background load's answer replaces the stale one.
      await vi.waitFor(async () => expect(await instances.a.get(1, key, { tags: ['live'], tier: 'live' })).toMatchObject({ value: 'v2' }), {
        timeout: 5_000,
        interval: 5,
      });
      expect(loads).toBe(2);
      expect(await instances.a.wrap(1, key, { tags: ['live'], tier: 'live', load })).toMatchObject({ value: 'v2', stale: false });
    } finally {
      await instances.close();
    }
  });
});

it('works from the L1 alone in embedded mode', async () => {
  const cache = new TagCache({
    l1: new MemoryTagStore({ maxEntries: 100 }),
    l2: null,
    pubsub: new MemoryPubSub(),
    invalidationChannel: 'invalidations',
    breakers: createBreakers(),
  });
  await cache.start();
  let version = 1;
  const read = () => cache.wrap(1, 'summary', { tags: ['day:1'], tier: 'recent', load: async () => version });
  expect(await read()).toMatchObject({ value: 1, source: 'load' });
  expect(await read()).toMatchObject({ value: 1, source: 'l1' });
  version = 2;
  await cache.invalidateTags(1, ['day:1']);
  expect(await read()).toMatchObject({ value: 2, source: 'load' });
  await cache.close();
});

describe.each<[string, () => Promise<{ redis: Redis | Cluster; stop(): Promise<void> }>]>([
  [
    'Redis',
    async () => {
      const server = await startThrowawayRedis();
      return { redis: await connectRedis(server.url), stop: server.stop };
    },
  ],
  [
    'a 3-master Redis Cluster',
    async () => {
      const started = await startThrowawayCluster();
      return { redis: await connectRedisCluster(started.nodes.map((node) => `${node.host}:${node.port}`).join(',')), stop: started.stop };
    },
  ],
])('with %s down', (_name, startRedis) => {
  it('answers from L1 and the loader, without waiting', async () => {
    const { redis, stop } = await startRedis();
    const cache = new TagCache({
      l1: new MemoryTagStore({ maxEntries: 100 }),
      l2: new RedisTagStore(redis, 'down-test:'),
      pubsub: new MemoryPubSub(),
      invalidationChannel: 'invalidations',
      breakers: createBreakers(),
      // Memory copies are short-lived during an outage (tested on their own); this test is about not waiting.
      outageTtlMs: 60_000,
    });
    await cache.start();
    try {
      expect(await cache.wrap(1, 'cached', { tags: ['t'], tier: 'recent', load: async () => 'kept' })).toMatchObject({ source: 'load' });
      await stop();

      const timings: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        const started = performance.now();
        expect((await cache.wrap(1, 'cached', { tags: ['t'], tier: 'recent', load: async () => 'x' })).value).toBe('kept');
        expect((await cache.wrap(1, `uncached-${i}`, { tags: ['t'], tier: 'recent', load: async () => 'from the database' })).value).toBe('from the database');
        timings.push(performance.now() - started);
      }
      expect(Math.max(...timings)).toBeLessThan(300);
      expect(cache.stats().l2).toBe('open');
      // Once the breaker is open nothing waits for Redis at all.
      expect(Math.max(...timings.slice(-5))).toBeLessThan(20);
    } finally {
      await cache.close();
      redis.disconnect();
      await stop();
    }
  }, 30_000);
});

describe('an instance cut off from Redis while the others keep it (a TCP proxy in front of its connections)', () => {
  let proxy: TcpProxy;
  let a: TagCache;
  let b: TagCache;
  let closeAll: () => Promise<void>;

  /** A reaches Redis through the proxy (client and subscriber), B directly; one L2 and one channel. */
  async function start(pendingLimits?: PendingLimits): Promise<void> {
    const target = new URL(inject('redisUrl'));
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const viaProxy = await connectRedis(`redis://${proxy.host}:${proxy.port}`);
    const pubsubs = [new RedisPubSub(viaProxy), new RedisPubSub(testRedis.redis)] as const;
    const channel = `${testRedis.keyPrefix}cache-invalidations:${unique()}`;
    const common = { invalidationChannel: channel, resyncIntervalMs: 50, pendingLimits };
    a = new TagCache({
      ...common,
      l1: new MemoryTagStore({ maxEntries: 100 }),
      l2: new RedisTagStore(viaProxy, testRedis.keyPrefix),
      pubsub: pubsubs[0],
      link: new RedisLink([viaProxy, pubsubs[0].subscriber]),
      breakers: createBreakers({ ...DEFAULT_BREAKER_CONFIG, BREAKER_RESET_TIMEOUT_MS: 200 }),
    });
    b = new TagCache({
      ...common,
      l1: new MemoryTagStore({ maxEntries: 100 }),
      l2: new RedisTagStore(testRedis.redis, testRedis.keyPrefix),
      pubsub: pubsubs[1],
      breakers: createBreakers(),
    });
    await a.start();
    await b.start();
    closeAll = async () => {
      await a.close();
      await b.close();
      await Promise.all(pubsubs.map((pubsub) => pubsub.close()));
      viaProxy.disconnect();
      await proxy.close();
    };
  }

  afterEach(() => closeAll());

  const archive = (tags: string[]) => ({ tags, tier: 'archive' as const });
  const read = (cache: TagCache, tenantId: number, key: string, tags: string[], value: string) =>
    cache.wrap(tenantId, key, { ...archive(tags), load: async () => value });

  it('replays an invalidation that could not reach Redis once it answers: generations and every L1', async () => {
    await start();
    const tags = [`day:${unique()}`];
    await read(a, 1, 'summary', tags, 'old');
    expect(await read(b, 1, 'summary', tags, 'unused')).toMatchObject({ value: 'old', source: 'l2' });
    expect(await read(b, 1, 'summary', tags, 'unused')).toMatchObject({ value: 'old', source: 'l1' });

    proxy.cut();
    await vi.waitFor(() => expect(a.outOfSync).toBe(true), { timeout: 5_000 });
    await a.invalidateTags(1, tags);
    expect(a.stats().counters.invalidationsDeferred).toBe(1);
    // A itself no longer serves the old answer: its L1 copy is gone and its L2 is not trusted meanwhile.
    expect(await read(a, 1, 'summary', tags, 'new')).toMatchObject({ value: 'new', source: 'load' });
    // B still has Redis and cannot know (the limit of a partition between one instance and Redis).
    expect(await b.get(1, 'summary', archive(tags))).toMatchObject({ value: 'old' });

    proxy.restore();
    await vi.waitFor(async () => expect(await b.get(1, 'summary', archive(tags))).toBeNull(), { timeout: 10_000, interval: 20 });
    expect(a.stats().counters.invalidationsReplayed).toBe(1);
    expect(a.outOfSync).toBe(false);
    expect(await read(b, 1, 'summary', tags, 'new')).toMatchObject({ value: 'new', source: 'load' });
    expect(await read(a, 1, 'summary', tags, 'unused')).toMatchObject({ value: 'new', source: 'l2' });
  });

  it("replays too many deferred tags as the tenant's whole cache, and leaves other tenants alone", async () => {
    await start({ perTenant: 2, total: 100 });
    const untouched = [`day:${unique()}`];
    await read(a, 1, 'untouched-day', untouched, 'tenant 1');
    await read(a, 2, 'other-tenant', untouched, 'tenant 2');
    for (const tenantId of [1, 2])
      expect(await read(b, tenantId, tenantId === 1 ? 'untouched-day' : 'other-tenant', untouched, 'unused')).toMatchObject({ source: 'l2' });

    proxy.cut();
    await vi.waitFor(() => expect(a.outOfSync).toBe(true), { timeout: 5_000 });
    await a.invalidateTags(1, [`day:${unique()}`, `day:${unique()}`, `day:${unique()}`]);
    proxy.restore();

    await vi.waitFor(async () => expect(await b.get(1, 'untouched-day', archive(untouched))).toBeNull(), { timeout: 10_000, interval: 20 });
    expect(await b.get(2, 'other-tenant', archive(untouched))).toMatchObject({ value: 'tenant 2', source: 'l1' });
    expect(a.stats().counters.invalidationsReplayed).toBe(1);
  });
});
