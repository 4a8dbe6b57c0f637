import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { GENERATION_TTL_MS, type CacheEntry, type Generations, type TagStore } from './tag-store.ts';

/** Keys removed per call while a tag is drained: each call stays well under a millisecond. */
const DRAIN_CHUNK = 500;
/** Expired members pruned from a tag by each write that carries it: bounded work per write. */
const PRUNE_PER_WRITE = 100;

// Every key one script touches carries the tenant's hash tag ({t:42}), so they share a cluster slot.
// A value is stored behind a stamp of its tags' generations ("3,0,1\n{...}"); reads compare the stamp with
// the generations now, so an invalidation takes effect the moment the generations move.

/** KEYS: value, tag sets…, generations… ARGV: payload, ttl ms, expected generations… */
const SET_SCRIPT = `
local n = (#KEYS - 1) / 2
local stamp = {}
for i = 1, n do
  local current = redis.call('GET', KEYS[n + 1 + i]) or '0'
  if current ~= ARGV[2 + i] then return 0 end
  stamp[i] = current
end
local ttl = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('SET', KEYS[1], table.concat(stamp, ',') .. '\\n' .. ARGV[1], 'PX', ttl)
for i = 1, n do
  local tag = KEYS[1 + i]
  redis.call('ZADD', tag, now + ttl, KEYS[1])
  local expired = redis.call('ZRANGE', tag, '-inf', now, 'BYSCORE', 'LIMIT', 0, ${PRUNE_PER_WRITE})
  if #expired > 0 then redis.call('ZREM', tag, unpack(expired)) end
  if redis.call('PTTL', tag) < ttl then redis.call('PEXPIRE', tag, ttl) end
end
return 1`;

/** KEYS: value, generations… Returns the payload, or nil when missing or a generation moved. */
const GET_SCRIPT = `
local stored = redis.call('GET', KEYS[1])
if not stored then return nil end
local stamp = {}
for i = 2, #KEYS do stamp[i - 1] = redis.call('GET', KEYS[i]) or '0' end
local prefix = table.concat(stamp, ',') .. '\\n'
if string.sub(stored, 1, #prefix) ~= prefix then return nil end
return string.sub(stored, #prefix + 1)`;

/**
 * KEYS: (generation, tag set, draining name) per tag. ARGV: generation ttl ms. Bumps each generation and
 * moves each tag set aside to be drained; returns the names of the sets to drain.
 */
const INVALIDATE_SCRIPT = `
local draining = {}
for i = 1, #KEYS, 3 do
  redis.call('INCR', KEYS[i])
  redis.call('PEXPIRE', KEYS[i], ARGV[1])
  if redis.call('EXISTS', KEYS[i + 1]) == 1 then
    redis.call('RENAME', KEYS[i + 1], KEYS[i + 2])
    draining[#draining + 1] = KEYS[i + 2]
  end
end
return draining`;

type RedisClient = Redis | Cluster;

interface TagScripts {
  tagCacheSet(numberOfKeys: number, ...args: Array<string | number>): Promise<number>;
  tagCacheGet(numberOfKeys: number, ...keys: string[]): Promise<string | null>;
  tagCacheInvalidate(numberOfKeys: number, ...args: Array<string | number>): Promise<string[]>;
}

/**
 * The shared L2: a value per key, a sorted set per tag (member = value key, score = when it expires), and
 * a generation counter per tag. Writes are one Lua script each; invalidation bumps generations in one
 * script and then drains the tag's set in bounded chunks (ZPOPMIN + UNLINK), never a keyspace scan.
 */
export class RedisTagStore implements TagStore {
  private readonly redis: RedisClient & TagScripts;

  constructor(
    redis: RedisClient,
    private readonly keyPrefix: string,
  ) {
    redis.defineCommand('tagCacheSet', { lua: SET_SCRIPT });
    redis.defineCommand('tagCacheGet', { lua: GET_SCRIPT });
    redis.defineCommand('tagCacheInvalidate', { lua: INVALIDATE_SCRIPT });
    this.redis = redis as RedisClient & TagScripts;
  }

  async generations(tenantId: number, tags: readonly string[]): Promise<Generations> {
    if (tags.length === 0) return [];
    const values = await this.redis.mget(...tags.map((tag) => this.generationKey(tenantId, tag)));
    return values.map((value) => Number(value ?? 0));
  }

  async get(tenantId: number, key: string, tags: readonly string[]): Promise<CacheEntry | null> {
    const keys = [this.valueKey(tenantId, key), ...tags.map((tag) => this.generationKey(tenantId, tag))];
    const payload = await this.redis.tagCacheGet(keys.length, ...keys);
    return payload === null ? null : (JSON.parse(payload) as CacheEntry);
  }

  async set(tenantId: number, key: string, entry: CacheEntry, tags: readonly string[], generations: Generations, ttlMs: number): Promise<boolean> {
    const keys = [this.valueKey(tenantId, key), ...tags.map((tag) => this.tagKey(tenantId, tag)), ...tags.map((tag) => this.generationKey(tenantId, tag))];
    const written = await this.redis.tagCacheSet(keys.length, ...keys, JSON.stringify(entry), Math.ceil(ttlMs), ...generations.map(String));
    return written === 1;
  }

  async invalidate(tenantId: number, tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    const drainId = randomBytes(6).toString('hex');
    const keys = tags.flatMap((tag) => [this.generationKey(tenantId, tag), this.tagKey(tenantId, tag), `${this.tagKey(tenantId, tag)}:draining:${drainId}`]);
    const draining = await this.redis.tagCacheInvalidate(keys.length, ...keys, GENERATION_TTL_MS);
    for (const set of draining) await this.drain(set);
  }

  /** Removes the keys of a set moved aside by an invalidation, a bounded chunk per call. */
  private async drain(set: string): Promise<void> {
    for (;;) {
      const popped = await this.redis.zpopmin(set, DRAIN_CHUNK);
      const members = popped.filter((_, index) => index % 2 === 0);
      if (members.length > 0) await this.redis.unlink(...members);
      if (members.length < DRAIN_CHUNK) return;
    }
  }

  // Key names (public for tests and tooling).
  valueKey(tenantId: number, key: string): string {
    return `${this.keyPrefix}cache:{t:${tenantId}}:${key}`;
  }

  tagKey(tenantId: number, tag: string): string {
    return `${this.keyPrefix}tag:{t:${tenantId}}:${tag}`;
  }

  generationKey(tenantId: number, tag: string): string {
    return `${this.keyPrefix}generation:{t:${tenantId}}:${tag}`;
  }
}
