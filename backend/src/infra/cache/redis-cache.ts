import type { Redis } from 'ioredis';
import type { KeyValueCache } from './key-value-cache.ts';

export class RedisCache implements KeyValueCache {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.keyPrefix + key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.keyPrefix + key, value, 'EX', ttlSeconds);
  }

  async increment(key: string): Promise<number> {
    return this.redis.incr(this.keyPrefix + key);
  }
}
