import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LiveLog } from '../infra/live/live-log.ts';
import { MemoryLiveLog } from '../infra/live/memory-live-log.ts';
import { RedisLiveLog } from '../infra/live/redis-live-log.ts';
import { MemoryPubSub } from '../infra/pubsub/memory-pubsub.ts';
import type { PubSub } from '../infra/pubsub/pubsub.ts';
import { RedisPubSub } from '../infra/pubsub/redis-pubsub.ts';
import type { EventRow } from '../repositories/event-repository.ts';
import { useTestRedis } from '../test/test-redis.ts';
import { LiveService } from './live-service.ts';

// The embedded twin (array + in-process pub/sub) and the Redis version (Stream + pub/sub) keep one contract.
const testRedis = useTestRedis();

const row = (messageId: string): EventRow => ({
  tenantId: 1, messageId, type: 'track', name: 'probe', userId: null, anonymousId: 'a', sessionId: null, path: null,
  referrer: null, device: null, browser: null, country: null, properties: {}, ts: new Date(),
});

describe.each<[string, () => { log: LiveLog; pubsub: PubSub }]>([
  ['in process (embedded mode)', () => ({ log: new MemoryLiveLog(), pubsub: new MemoryPubSub() })],
  ['Redis', () => ({ log: new RedisLiveLog(testRedis.redis, `${testRedis.keyPrefix}live-${randomBytes(3).toString('hex')}:`), pubsub: new RedisPubSub(testRedis.redis) })],
])('LiveService, %s', (_name, parts) => {
  it('streams commits from now on, then resumes after the last id with each one once', async () => {
    const { log, pubsub } = parts();
    const live = new LiveService(log, pubsub, `${testRedis.keyPrefix}live-test:`);
    const tenantId = 100 + Math.floor(Math.random() * 1e6);
    const first = new AbortController();
    const stream = live.subscribe(tenantId, null, first.signal);
    const pending = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await live.publish(tenantId, [row('a')]);
    await live.publish(tenantId, [row('b'), row('c')]);
    await live.publish(tenantId, []);
    const seen = [(await pending).value!, (await stream.next()).value!];
    expect(seen.map(({ delta }) => delta.accepted)).toEqual([1, 2]);
    first.abort();
    await stream.return(undefined);

    await live.publish(tenantId, [row('d')]);
    const again = new AbortController();
    const resumed = live.subscribe(tenantId, seen[0]!.id, again.signal);
    const replayed = [(await resumed.next()).value!, (await resumed.next()).value!];
    const messageIds = replayed.map(({ delta }) => delta.events.map((event: { messageId: string }) => event.messageId).sort());
    expect(messageIds).toEqual([['b', 'c'], ['d']]);
    expect(replayed[0]!.id).toBe(seen[1]!.id);
    again.abort();
    await resumed.return(undefined);
    live.close();
    await pubsub.close();
  });
});
