import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestRedis } from '../../test/test-redis.ts';
import { useThrowawayCluster } from '../../test/throwaway-redis.ts';
import { MemoryPubSub } from './memory-pubsub.ts';
import type { PubSub } from './pubsub.ts';
import { RedisPubSub } from './redis-pubsub.ts';

const testRedis = useTestRedis();
const cluster = useThrowawayCluster();

/** Subscribes, and resolves once the subscription is in place, with the promise of the next message. */
async function nextMessage(pubsub: PubSub, channel: string): Promise<{ message: Promise<string> }> {
  let deliver!: (message: string) => void;
  const message = new Promise<string>((resolve) => (deliver = resolve));
  await pubsub.subscribe(channel, deliver);
  return { message };
}

const implementations: Array<[string, () => PubSub[]]> = [
  [
    'MemoryPubSub (embedded mode, one process)',
    () => {
      const shared = new MemoryPubSub();
      return [shared, shared];
    },
  ],
  // Two RedisPubSub objects on separate connections stand for two backend instances.
  ['RedisPubSub (across instances)', () => [new RedisPubSub(testRedis.redis), new RedisPubSub(testRedis.redis.duplicate())]],
  ['RedisPubSub on a 3-master cluster (across instances)', () => [new RedisPubSub(cluster.client), new RedisPubSub(cluster.client.duplicate())]],
];

describe.each(implementations)('%s', (_name, create) => {
  let publisher: PubSub;
  let subscriber: PubSub;
  const channel = () => `${testRedis.keyPrefix}channel:${randomBytes(4).toString('hex')}`;

  beforeAll(() => {
    [publisher, subscriber] = create() as [PubSub, PubSub];
  });

  afterAll(async () => {
    await publisher.close();
    await subscriber.close();
  });

  it('delivers a published message to a subscriber', async () => {
    const name = channel();
    const { message } = await nextMessage(subscriber, name);
    await publisher.publish(name, 'hello');
    expect(await message).toBe('hello');
  });

  it('delivers to every subscriber of the channel, and only of that channel', async () => {
    const name = channel();
    const other: string[] = [];
    await subscriber.subscribe(`${name}:other`, (message) => other.push(message));
    const both = await Promise.all([nextMessage(subscriber, name), nextMessage(subscriber, name)]);
    await publisher.publish(name, 'fan-out');
    expect(await Promise.all(both.map(({ message }) => message))).toEqual(['fan-out', 'fan-out']);
    expect(other).toEqual([]);
  });

  it('stops delivering after unsubscribe', async () => {
    const name = channel();
    const received: string[] = [];
    const unsubscribe = await subscriber.subscribe(name, (message) => received.push(message));
    await publisher.publish(name, 'one');
    await vi.waitFor(() => expect(received).toEqual(['one']), { timeout: 5_000, interval: 10 });
    await unsubscribe();
    // Another listener on the same subscriber hears 'two': had the first still been subscribed, it would have by then.
    const { message: heardByOtherListener } = await nextMessage(subscriber, name);
    await publisher.publish(name, 'two');
    expect(await heardByOtherListener).toBe('two');
    expect(received).toEqual(['one']);
  });
});

it('on a 3-master cluster, a subscriber hears what is published through every master, not only its own', async () => {
  const subscriber = new RedisPubSub(cluster.client.duplicate());
  const name = `pulse-test:channel:${randomBytes(4).toString('hex')}`;
  const received: string[] = [];
  try {
    await subscriber.subscribe(name, (message) => received.push(message));
    const masters = cluster.client.nodes('master');
    expect(masters).toHaveLength(3);
    await Promise.all(masters.map((master, index) => master.publish(name, `from master ${index}`)));
    await expect.poll(() => [...received].sort(), { timeout: 5_000, interval: 20 }).toEqual(['from master 0', 'from master 1', 'from master 2']);
  } finally {
    await subscriber.close();
  }
});
