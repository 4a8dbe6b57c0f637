import type { RedisConnection } from '../redis/redis-client.ts';
import { LIVE_LOG_MAX_ENTRIES, type LiveEntry, type LiveLog } from './live-log.ts';

/** A Redis Stream per tenant ({t:N} hash tag: one cluster slot), trimmed to about LIVE_LOG_MAX_ENTRIES. */
export class RedisLiveLog implements LiveLog {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keyPrefix: string,
  ) {}

  async append(tenantId: number, payload: string): Promise<string> {
    const id = await this.redis.xadd(this.key(tenantId), 'MAXLEN', '~', LIVE_LOG_MAX_ENTRIES, '*', 'p', payload);
    return id!;
  }

  async after(tenantId: number, afterId: string | null, limit: number): Promise<LiveEntry[]> {
    const entries = await this.redis.xrange(this.key(tenantId), afterId === null ? '-' : `(${afterId}`, '+', 'COUNT', limit);
    return entries.map(([id, fields]) => ({ id, payload: fields[1] ?? '' }));
  }

  async latestId(tenantId: number): Promise<string | null> {
    const [newest] = await this.redis.xrevrange(this.key(tenantId), '+', '-', 'COUNT', 1);
    return newest?.[0] ?? null;
  }

  private key(tenantId: number): string {
    return `${this.keyPrefix}live:{t:${tenantId}}`;
  }
}
