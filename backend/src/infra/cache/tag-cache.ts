import type { BreakerRegistry } from '../breakers/breaker-registry.ts';
import type { PubSub } from '../pubsub/pubsub.ts';
import { CacheStatsRecorder, type CacheStats } from './cache-stats.ts';
import type { MemoryTagStore } from './memory-tag-store.ts';
import type { CacheEntry, Generations, TagStore } from './tag-store.ts';

export type CacheTier = 'live' | 'recent' | 'archive';

export interface TierPolicy {
  /** How long an answer is fresh. */
  ttlMs: number;
  /** How long after that it may still be served, once per refresh, while one background load replaces it. */
  graceMs: number;
}

export const DEFAULT_TIERS: Record<CacheTier, TierPolicy> = {
  live: { ttlMs: 30_000, graceMs: 30_000 },
  recent: { ttlMs: 300_000, graceMs: 300_000 },
  archive: { ttlMs: 3_600_000, graceMs: 3_600_000 },
};

export interface TagCacheOptions {
  /** This instance's in-process store, in front of everything. */
  l1: MemoryTagStore;
  /** The store shared by all instances (Redis), or null in embedded mode. */
  l2: TagStore | null;
  /** Carries invalidations to every instance's L1. */
  pubsub: PubSub;
  invalidationChannel: string;
  tiers?: Record<CacheTier, TierPolicy>;
  /** Its `redis` breaker guards every L2 call: a short timeout, then no waiting at all while it is open. */
  breakers: Pick<BreakerRegistry, 'run' | 'state'>;
}

export interface EntryOptions {
  /** What the answer depends on; an invalidation of any of them retires it. */
  tags: readonly string[];
  tier: CacheTier;
}

export interface WrapOptions<T> extends EntryOptions {
  load: () => Promise<T>;
}

export interface CachedAnswer<T> {
  value: T;
  source: 'l1' | 'l2' | 'load';
  /** Past its fresh time, served while a refresh runs. */
  stale: boolean;
  /** How long ago the answer was computed. */
  ageMs: number;
}

interface InvalidationMessage {
  tenantId: number;
  tags: string[];
}

/**
 * Answers cached by tenant, key and tags: an in-process L1 in front of a shared L2. A load captures the
 * tags' generations first and its result is written only if no invalidation overtook it; concurrent misses
 * of one key share one load; a stale answer in its grace window is served while one refresh runs. With the
 * L2 slow or down, a breaker stops waiting for it and the cache works from L1 and the loader alone.
 */
export class TagCache {
  private readonly tiers: Record<CacheTier, TierPolicy>;
  private readonly inFlight = new Map<string, Promise<CachedAnswer<unknown>>>();
  private readonly refreshing = new Map<string, Promise<unknown>>();
  private readonly recorder = new CacheStatsRecorder();
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(private readonly options: TagCacheOptions) {
    this.tiers = options.tiers ?? DEFAULT_TIERS;
  }

  /** Starts listening for other instances' invalidations. */
  async start(): Promise<void> {
    this.unsubscribe = await this.options.pubsub.subscribe(this.options.invalidationChannel, (message) => {
      const { tenantId, tags } = JSON.parse(message) as InvalidationMessage;
      void this.options.l1.invalidate(tenantId, tags);
    });
  }

  /** Stops listening and waits for background refreshes, so none outlives the database pool. */
  async close(): Promise<void> {
    await this.unsubscribe?.();
    await Promise.allSettled(this.refreshing.values());
  }

  async wrap<T>(tenantId: number, key: string, options: WrapOptions<T>): Promise<CachedAnswer<T>> {
    const started = performance.now();
    const tags = canonicalTags(options.tags);
    try {
      const local = await this.options.l1.get(tenantId, key, tags);
      if (local) return this.serve<T>(tenantId, key, tags, options, local, 'l1');
      const flightKey = `${tenantId}\u0000${key}`;
      let flight = this.inFlight.get(flightKey) as Promise<CachedAnswer<T>> | undefined;
      if (!flight) {
        flight = this.fetch(tenantId, key, tags, options).finally(() => this.inFlight.delete(flightKey));
        this.inFlight.set(flightKey, flight);
      }
      return await flight;
    } finally {
      this.recorder.latency(performance.now() - started);
    }
  }

  /** The cached answer (fresh, or stale within its grace window) without loading one; null on a miss. */
  async get<T>(tenantId: number, key: string, options: EntryOptions): Promise<CachedAnswer<T> | null> {
    const tags = canonicalTags(options.tags);
    const local = await this.options.l1.get(tenantId, key, tags);
    if (local) return this.answer<T>(local, 'l1');
    const shared = await this.fromL2(tenantId, key, tags, options.tier, await this.options.l1.generations(tenantId, tags));
    if (shared) return this.answer<T>(shared, 'l2');
    this.recorder.count('misses');
    return null;
  }

  /**
   * Caches `value` as of now. A value computed from data read earlier belongs in `wrap`, which refuses to
   * store it when an invalidation came in between.
   */
  async set<T>(tenantId: number, key: string, value: T, options: EntryOptions): Promise<void> {
    const tags = canonicalTags(options.tags);
    const l1Generations = await this.options.l1.generations(tenantId, tags);
    const l2Generations = await this.viaL2((l2) => l2.generations(tenantId, tags));
    await this.store(tenantId, key, value, tags, options.tier, l1Generations, l2Generations);
  }

  /** From the moment this resolves, no instance serves an answer carrying one of `tags` from the L2. */
  async invalidateTags(tenantId: number, tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    this.recorder.count('invalidations', tags.length);
    await this.options.l1.invalidate(tenantId, tags);
    await this.viaL2((l2) => l2.invalidate(tenantId, tags));
    const message: InvalidationMessage = { tenantId, tags: [...tags] };
    await this.options.pubsub.publish(this.options.invalidationChannel, JSON.stringify(message)).catch(() => {});
  }

  stats(): CacheStats {
    return this.recorder.snapshot({
      l1Entries: this.options.l1.size,
      l1KeysPerTag: this.options.l1.keysPerTag(),
      l2: this.options.l2 ? this.options.breakers.state('redis') : 'none',
    });
  }

  /** L2 hit or load, once per key however many callers wait for it. */
  private async fetch<T>(tenantId: number, key: string, tags: readonly string[], options: WrapOptions<T>): Promise<CachedAnswer<T>> {
    const l1Generations = await this.options.l1.generations(tenantId, tags);
    const shared = await this.fromL2(tenantId, key, tags, options.tier, l1Generations);
    if (shared) return this.serve(tenantId, key, tags, options, shared, 'l2');
    this.recorder.count('misses');
    return this.load(tenantId, key, tags, options, l1Generations);
  }

  /** The L2's entry, copied into the L1 for what it has left to live. */
  private async fromL2(tenantId: number, key: string, tags: readonly string[], tier: CacheTier, l1Generations: Generations): Promise<CacheEntry | null> {
    const shared = await this.viaL2((l2) => l2.get(tenantId, key, tags));
    if (shared) await this.options.l1.set(tenantId, key, shared, tags, l1Generations, this.remainingLifeMs(shared, tier));
    return shared;
  }

  private async load<T>(
    tenantId: number,
    key: string,
    tags: readonly string[],
    options: WrapOptions<T>,
    l1Generations: Generations,
  ): Promise<CachedAnswer<T>> {
    const l2Generations = await this.viaL2((l2) => l2.generations(tenantId, tags));
    this.recorder.count('loads');
    const value = await options.load();
    await this.store(tenantId, key, value, tags, options.tier, l1Generations, l2Generations);
    return { value, source: 'load', stale: false, ageMs: 0 };
  }

  /** Writes both levels unless a tag moved past the generations captured before the value was computed. */
  private async store(
    tenantId: number,
    key: string,
    value: unknown,
    tags: readonly string[],
    tier: CacheTier,
    l1Generations: Generations,
    l2Generations: Generations | null,
  ): Promise<void> {
    const { ttlMs, graceMs } = this.tiers[tier];
    const now = Date.now();
    const entry: CacheEntry = { value: JSON.stringify(value), storedAt: now, freshUntil: now + ttlMs };
    // Written to the L2 first: if it refuses (an invalidation overtook the load), the L1 must not keep it.
    const refusedByL2 = l2Generations !== null && (await this.viaL2((l2) => l2.set(tenantId, key, entry, tags, l2Generations, ttlMs + graceMs))) === false;
    const written = !refusedByL2 && (await this.options.l1.set(tenantId, key, entry, tags, l1Generations, ttlMs + graceMs));
    if (!written) this.recorder.count('writesRefused');
  }

  /** A hit, refreshed in the background when it is past its fresh time. */
  private serve<T>(tenantId: number, key: string, tags: readonly string[], options: WrapOptions<T>, entry: CacheEntry, source: 'l1' | 'l2'): CachedAnswer<T> {
    const answer = this.answer<T>(entry, source);
    if (answer.stale) this.refreshInBackground(tenantId, key, tags, options);
    return answer;
  }

  private answer<T>(entry: CacheEntry, source: 'l1' | 'l2'): CachedAnswer<T> {
    const now = Date.now();
    const stale = now >= entry.freshUntil;
    this.recorder.count(source === 'l1' ? 'l1Hits' : 'l2Hits');
    if (stale) this.recorder.count('staleServed');
    return { value: JSON.parse(entry.value) as T, source, stale, ageMs: now - entry.storedAt };
  }

  private refreshInBackground<T>(tenantId: number, key: string, tags: readonly string[], options: WrapOptions<T>): void {
    const refreshKey = `${tenantId}\u0000${key}`;
    if (this.refreshing.has(refreshKey)) return;
    const refresh = this.options.l1
      .generations(tenantId, tags)
      .then((generations) => this.load(tenantId, key, tags, options, generations))
      .catch(() => this.recorder.count('loadErrors'))
      .finally(() => this.refreshing.delete(refreshKey));
    this.refreshing.set(refreshKey, refresh);
  }

  /** What an entry read from the L2 has left to live in the L1 (fresh time and grace). */
  private remainingLifeMs(entry: CacheEntry, tier: CacheTier): number {
    return Math.max(1, entry.freshUntil + this.tiers[tier].graceMs - Date.now());
  }

  /** An L2 call through the breaker; null when there is no L2, it failed, or the breaker is open. */
  private async viaL2<R>(operation: (l2: TagStore) => Promise<R>): Promise<R | null> {
    const l2 = this.options.l2;
    if (!l2) return null;
    try {
      return await this.options.breakers.run('redis', () => operation(l2));
    } catch {
      this.recorder.count('l2Errors');
      return null;
    }
  }
}

/** Tags in one order, without repeats: stored generation stamps are compared position by position. */
function canonicalTags(tags: readonly string[]): readonly string[] {
  // Day tags come ascending already; sorting 60 of them on every cached read was a visible cost.
  const canonical = tags.every((tag, index) => index === 0 || tags[index - 1]! < tag);
  return canonical ? tags : [...new Set(tags)].sort();
}
