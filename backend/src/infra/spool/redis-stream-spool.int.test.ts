import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RedisConnection } from '../redis/redis-client.ts';
import { useTestRedis } from '../../test/test-redis.ts';
import { useThrowawayCluster } from '../../test/throwaway-redis.ts';
import { RedisStreamSpool } from './redis-stream-spool.ts';
import type { SpoolVerdict } from './spool.ts';

const STORED: SpoolVerdict = { deadLetter: null };

const testRedis = useTestRedis();
const cluster = useThrowawayCluster();

const connections: Array<[string, () => { redis: RedisConnection; keyPrefix: string }]> = [
  ['Redis', () => testRedis],
  ['a 3-master Redis Cluster', () => ({ redis: cluster.client, keyPrefix: 'pulse-test:' })],
];

describe.each(connections)('RedisStreamSpool on %s', (_name, connection) => {
  /** A spool of its own for each test, and another instance's view of the same one. */
  function spools(): [RedisStreamSpool, RedisStreamSpool] {
    const { redis, keyPrefix } = connection();
    const prefix = `${keyPrefix}${randomBytes(4).toString('hex')}:`;
    return [new RedisStreamSpool(redis, prefix), new RedisStreamSpool(redis, prefix)];
  }
  const create = () => spools()[0];

  it('hands payloads on oldest first and removes each once handled', async () => {
    const spool = create();
    for (const payload of ['a', 'b', 'c']) await spool.append(payload);
    expect(await spool.depth()).toBe(3);
    const seen: string[] = [];
    const result = await spool.drainOnce(async (payload) => {
      seen.push(payload);
      return STORED;
    });
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(result).toEqual({ drained: 3, deadLettered: 0, skipped: false });
    expect(await spool.depth()).toBe(0);
  });

  it('keeps the payloads whose handling failed for the next pass, and ends this one', async () => {
    const spool = create();
    for (const payload of ['a', 'b', 'c']) await spool.append(payload);
    const outage = new Error('database still out');
    await expect(
      spool.drainOnce(async (payload) => {
        if (payload === 'b') throw outage;
        return STORED;
      }),
    ).rejects.toBe(outage);
    expect(await spool.depth()).toBe(1);
    const seen: string[] = [];
    await spool.drainOnce(async (payload) => {
      seen.push(payload);
      return STORED;
    });
    expect(seen).toEqual(['b']);
  });

  it('sets aside only what its handler names, counts it, and requeues it on demand', async () => {
    const spool = create();
    for (const payload of ['a', 'a+poison', 'c']) await spool.append(payload);
    const seen: string[] = [];
    const result = await spool.drainOnce(async (payload): Promise<SpoolVerdict> => {
      seen.push(payload);
      return payload.includes('poison') ? { deadLetter: { payload: 'poison', reason: 'value too long', events: 1 } } : STORED;
    });
    expect(result).toEqual({ drained: 3, deadLettered: 1, skipped: false });
    expect(seen).toEqual(['a', 'a+poison', 'c']);
    expect(await spool.depth()).toBe(0);
    expect(await spool.deadLetters()).toEqual({ entries: 1, events: 1 });

    expect(await spool.requeueDeadLetters()).toEqual({ entries: 1, events: 1 });
    expect(await spool.deadLetters()).toEqual({ entries: 0, events: 0 });
    const replayed: string[] = [];
    await spool.drainOnce(async (payload) => {
      replayed.push(payload);
      return STORED;
    });
    expect(replayed).toEqual(['poison']);
  });

  it('lets one drainer at a time replay, however many instances try', async () => {
    const [spool, otherInstance] = spools();
    for (let i = 0; i < 20; i += 1) await spool.append(`event-${i}`);
    const handled: string[] = [];
    const slowHandle = async (payload: string): Promise<SpoolVerdict> => {
      handled.push(payload);
      // A slow replay, so the two passes overlap.
      await new Promise((resolve) => setTimeout(resolve, 5));
      return STORED;
    };
    const results = await Promise.all([spool.drainOnce(slowHandle), otherInstance.drainOnce(slowHandle)]);
    expect(results.filter((result) => result.skipped)).toHaveLength(1);
    expect(handled).toHaveLength(20);
    expect(new Set(handled).size).toBe(20);
    // The lock is released: a later pass runs.
    await spool.append('later');
    expect((await otherInstance.drainOnce(slowHandle)).drained).toBe(1);
  });
});
