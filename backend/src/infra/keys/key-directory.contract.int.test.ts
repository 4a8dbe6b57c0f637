import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRedis } from '../../test/test-redis.ts';
import { useThrowawayCluster } from '../../test/throwaway-redis.ts';
import { MemoryKeyDirectory, type DirectoryPrincipal, type KeyDirectory } from './key-directory.ts';
import { RedisKeyDirectory } from './redis-key-directory.ts';

const testRedis = useTestRedis();
const cluster = useThrowawayCluster();

const HOUR_MS = 3_600_000;
const unique = () => randomBytes(8).toString('hex');
const principal = (keyId: number): DirectoryPrincipal => ({ keyId, scope: 'ingest', tenant: { id: 7, slug: 'acme', name: 'Acme', plan: 'pro' } });

const directories: Array<[string, () => KeyDirectory]> = [
  ['MemoryKeyDirectory', () => new MemoryKeyDirectory()],
  ['RedisKeyDirectory', () => new RedisKeyDirectory(testRedis.redis, testRedis.keyPrefix)],
  ['RedisKeyDirectory on a 3-master cluster', () => new RedisKeyDirectory(cluster.client, 'pulse-test:')],
];

describe.each(directories)('%s', (_name, create) => {
  let directory: KeyDirectory;
  beforeAll(() => {
    directory = create();
  });

  it('returns the principal of a remembered key, and nothing for an unknown one', async () => {
    const [a, b] = [unique(), unique()];
    await directory.remember(
      [
        { keyHash: a, principal: principal(1) },
        { keyHash: b, principal: principal(2) },
      ],
      HOUR_MS,
    );
    expect(await directory.lookup(a)).toEqual({ status: 'active', principal: principal(1) });
    expect(await directory.lookup(b)).toEqual({ status: 'active', principal: principal(2) });
    expect(await directory.lookup(unique())).toBeNull();
  });

  it('keeps a revoked key revoked: a later write cannot bring it back', async () => {
    const keyHash = unique();
    await directory.remember([{ keyHash, principal: principal(3) }], HOUR_MS);
    await directory.revoke([keyHash], HOUR_MS);
    expect(await directory.lookup(keyHash)).toEqual({ status: 'revoked' });
    await directory.remember([{ keyHash, principal: principal(3) }], HOUR_MS);
    expect(await directory.lookup(keyHash)).toEqual({ status: 'revoked' });
  });

  it('forgets a record once its TTL has passed', async () => {
    const keyHash = unique();
    await directory.remember([{ keyHash, principal: principal(4) }], 50);
    await expect.poll(() => directory.lookup(keyHash), { timeout: 2_000, interval: 20 }).toBeNull();
  });
});
