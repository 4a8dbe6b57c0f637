import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LiveLog } from '../infra/live/live-log.ts';
import { MemoryLiveLog } from '../infra/live/memory-live-log.ts';
import { RedisLiveLog } from '../infra/live/redis-live-log.ts';
import { MemoryPubSub } from '../infra/pubsub/memory-pubsub.ts';
import type { PubSub } from '../infra/pubsub/pubsub.ts';
import { RedisPubSub } from '../infra/pubsub/redis-pubsub.ts';
import { connectRedisCluster, type RedisConnection } from '../infra/redis/redis-client.ts';
import { NOT_ENRICHED, type EventRow } from '../repositories/event-repository.ts';
import { connectTestRedis, useTestRedis } from '../test/test-redis.ts';
import { useThrowawayCluster } from '../test/throwaway-redis.ts';
import { LiveService } from './live-service.ts';

// The embedded twin (array + in-process pub/sub) and the Redis version (Stream + pub/sub) keep one contract.
const testRedis = useTestRedis();
const cluster = useThrowawayCluster();

const row = (messageId: string): EventRow => ({
  tenantId: 1,
  messageId,
  type: 'track',
  name: 'probe',
  ...NOT_ENRICHED,
  userId: null,
  anonymousId: 'a',
  sessionId: null,
  path: null,
  referrer: null,
  device: null,
  browser: null,
  country: null,
  properties: {},
  ts: new Date(),
});

interface Instance {
  log: LiveLog;
  pubsub: PubSub;
  /** Ends what the instance connected. */
  close(): Promise<void>;
}

/** Two instances' live parts, each on its own connection to one Redis (or cluster), with one key prefix. */
async function redisInstances(shared: RedisConnection, connectOwn: () => Promise<RedisConnection>, keyPrefix: string): Promise<Instance[]> {
  const prefix = `${keyPrefix}live-${randomBytes(3).toString('hex')}:`;
  const own = await connectOwn();
  return [shared, own].map((redis) => {
    const pubsub = new RedisPubSub(redis);
    return {
      log: new RedisLiveLog(redis, prefix),
      pubsub,
      close: async () => {
        await pubsub.close();
        if (redis === own) own.disconnect();
      },
    };
  });
}

describe.each<[string, () => Promise<Instance[]>]>([
  [
    'in process (embedded mode)',
    async () => {
      const shared = { log: new MemoryLiveLog(), pubsub: new MemoryPubSub(), close: async () => {} };
      return [shared, shared];
    },
  ],
  ['Redis', () => redisInstances(testRedis.redis, async () => (await connectTestRedis()).redis, testRedis.keyPrefix)],
  ['a 3-master Redis Cluster', () => redisInstances(cluster.client, () => connectRedisCluster(cluster.seedNodes), 'pulse-test:')],
])('LiveService, %s', (_name, instances) => {
  it("delivers what another instance publishes to the tenant's subscribers, and only to them", async () => {
    const [here, there] = (await instances()) as [Instance, Instance];
    const subscriberSide = new LiveService(here.log, here.pubsub, `${testRedis.keyPrefix}live-test:`);
    const publisherSide = new LiveService(there.log, there.pubsub, `${testRedis.keyPrefix}live-test:`);
    const tenantId = 100 + Math.floor(Math.random() * 1e6);
    const stop = new AbortController();
    // Subscribed once subscribe resolves: what is published right after is delivered.
    const mine = await subscriberSide.subscribe(tenantId, null, stop.signal);
    const theirs = await subscriberSide.subscribe(tenantId + 1, null, stop.signal);
    const [pendingMine, pendingTheirs] = [mine.next(), theirs.next()];
    await publisherSide.publish(tenantId, [row('x'), row('y')]);
    await publisherSide.publish(tenantId + 1, [row('z')]);
    const delivered = [(await pendingMine).value!, (await pendingTheirs).value!];
    expect(delivered.map(({ delta }) => delta.events.map((event: { messageId: string }) => event.messageId).sort())).toEqual([['x', 'y'], ['z']]);
    stop.abort();
    await Promise.all([mine.return(undefined), theirs.return(undefined)]);
    subscriberSide.close();
    publisherSide.close();
    await Promise.all([here.close(), there.close()]);
  });

  it('streams commits from now on, then resumes after the last id, on either instance, with each one once', async () => {
    const [instance, other] = (await instances()) as [Instance, Instance];
    const live = new LiveService(instance.log, instance.pubsub, `${testRedis.keyPrefix}live-test:`);
    const tenantId = 100 + Math.floor(Math.random() * 1e6);
    const first = new AbortController();
    const stream = await live.subscribe(tenantId, null, first.signal);
    const pending = stream.next();
    await live.publish(tenantId, [row('a')]);
    await live.publish(tenantId, [row('b'), row('c')]);
    await live.publish(tenantId, []);
    const seen = [(await pending).value!, (await stream.next()).value!];
    expect(seen.map(({ delta }) => delta.accepted)).toEqual([1, 2]);
    first.abort();
    await stream.return(undefined);

    await live.publish(tenantId, [row('d')]);
    // The reconnect reaches the other instance, as it may behind a load balancer.
    const elsewhere = new LiveService(other.log, other.pubsub, `${testRedis.keyPrefix}live-test:`);
    const again = new AbortController();
    const resumed = await elsewhere.subscribe(tenantId, seen[0]!.id, again.signal);
    const replayed = [(await resumed.next()).value!, (await resumed.next()).value!];
    const messageIds = replayed.map(({ delta }) => delta.events.map((event: { messageId: string }) => event.messageId).sort());
    expect(messageIds).toEqual([['b', 'c'], ['d']]);
    expect(replayed[0]!.id).toBe(seen[1]!.id);
    again.abort();
    await resumed.return(undefined);
    live.close();
    elsewhere.close();
    await Promise.all([instance.close(), other.close()]);
  });
});
