import type { RedisConnection } from '../redis/redis-client.ts';
import { parseDirectoryValue, REVOKED, type DirectoryEntry, type DirectoryPrincipal, type KeyDirectory } from './key-directory.ts';

/** Writes a record unless the key's tombstone is there: a revocation always wins, whatever the order. */
const REMEMBER_UNLESS_REVOKED = `
if redis.call('GET', KEYS[1]) == ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Writes are issued this many at a time (one key each, so they work on a Redis Cluster too). */
const WRITE_CONCURRENCY = 100;

/** The key directory in Redis, shared by every instance with the same key prefix. */
export class RedisKeyDirectory implements KeyDirectory {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keyPrefix: string,
  ) {}

  async lookup(keyHash: string): Promise<DirectoryEntry | null> {
    return parseDirectoryValue(await this.redis.get(this.keyOf(keyHash)));
  }

  async remember(keys: ReadonlyArray<{ keyHash: string; principal: DirectoryPrincipal }>, ttlMs: number): Promise<void> {
    await inChunks(keys, ({ keyHash, principal }) =>
      this.redis.eval(REMEMBER_UNLESS_REVOKED, 1, this.keyOf(keyHash), JSON.stringify(principal), String(Math.round(ttlMs)), REVOKED),
    );
  }

  async revoke(keyHashes: readonly string[], ttlMs: number): Promise<void> {
    await inChunks(keyHashes, (keyHash) => this.redis.set(this.keyOf(keyHash), REVOKED, 'PX', Math.round(ttlMs)));
  }

  private keyOf(keyHash: string): string {
    return `${this.keyPrefix}api-key:${keyHash}`;
  }
}

async function inChunks<T>(items: readonly T[], write: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += WRITE_CONCURRENCY) {
    await Promise.all(items.slice(start, start + WRITE_CONCURRENCY).map(write));
  }
}
