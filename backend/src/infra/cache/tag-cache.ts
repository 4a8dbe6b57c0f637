import type { BreakerRegistry } from '../breakers/breaker-registry.ts';
import type { PubSub } from '../pubsub/pubsub.ts';
import { CacheStatsRecorder, type CacheStats } from './cache-stats.ts';
import type { RedisLink } from '../redis/redis-link.ts';
import type { MemoryTagStore } from './memory-tag-store.ts';
import { OutageEpoch } from './outage-epoch.ts';
import { PendingInvalidations, WHOLE_TENANT_TAG, type PendingLimits } from './pending-invalidations.ts';
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
  /** The Redis connections invalidations travel on (client and subscriber): a drop starts an outage. */
  link?: RedisLink | null;
  /** While Redis is out, how long an answer is served from this instance's memory (default 2 s). */
  outageTtlMs?: number;
  /** How often invalidations that could not reach Redis are retried (default 500 ms). */
  resyncIntervalMs?: number;
  pendingLimits?: PendingLimits;
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
 *
 * Across a Redis outage: an invalidation that cannot reach Redis is kept (`PendingInvalidations`) and
 * replayed, generations and broadcast, once Redis answers; while out, memory copies live `outageTtlMs`; and
 * once back, everything cached before is retired (`OutageEpoch`), because another instance's invalidation may
 * still be owed to Redis.
 */
export class TagCache {
  private readonly tiers: Record<CacheTier, TierPolicy>;
  private readonly inFlight = new Map<string, Promise<CachedAnswer<unknown>>>();
  private readonly refreshing = new Map<string, Promise<unknown>>();
  private readonly recorder = new CacheStatsRecorder();
  private readonly epoch: OutageEpoch;
  private readonly pending: PendingInvalidations;
  private unsubscribe: (() => Promise<void>) | null = null;
  private unwatchLink: (() => void) | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;
  private resyncing: Promise<void> | null = null;
  /** Bumped on every sign of an outage: a resync that saw one begin meanwhile does not declare it over. */
  private outageSignals = 0;
  /** The first L2 failure since the last success: when an outage the breaker later confirms began. */
  private failingSince: number | null = null;

  constructor(private readonly options: TagCacheOptions) {
    this.tiers = options.tiers ?? DEFAULT_TIERS;
    this.epoch = new OutageEpoch(options.outageTtlMs ?? 2_000);
    this.pending = new PendingInvalidations(options.pendingLimits);
  }

  /** Starts listening for other instances' invalidations and watching the link to Redis. */
  async start(): Promise<void> {
    this.unsubscribe = await this.options.pubsub.subscribe(this.options.invalidationChannel, (message) => {
      const { tenantId, tags } = JSON.parse(message) as InvalidationMessage;
      void this.options.l1.invalidate(tenantId, tags);
    });
    if (!this.options.l2) return;
    this.unwatchLink = this.options.link?.onChange((event) => (event === 'lost' ? this.outageBegan(Date.now()) : this.resync())) ?? null;
    this.resyncTimer = setInterval(() => this.resync(), this.options.resyncIntervalMs ?? 500);
    this.resyncTimer.unref();
  }

  /** Stops listening and waits for background refreshes, so none outlives the database pool. */
  async close(): Promise<void> {
    this.unwatchLink?.();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.unsubscribe?.();
    await Promise.allSettled([...this.refreshing.values(), this.resyncing]);
  }

  /** True while this instance owes Redis invalidations, or has not had it back since an outage. */
  get outOfSync(): boolean {
    return this.epoch.inOutage || !this.pending.isEmpty;
  }

  async wrap<T>(tenantId: number, key: string, options: WrapOptions<T>): Promise<CachedAnswer<T>> {
    const started = performance.now();
    const tags = entryTags(options.tags);
    try {
      const local = await this.fromL1(tenantId, key, tags);
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
    const tags = entryTags(options.tags);
    const local = await this.fromL1(tenantId, key, tags);
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
    const tags = entryTags(options.tags);
    const l1Generations = await this.options.l1.generations(tenantId, tags);
    const l2Generations = await this.sharedGenerations(tenantId, tags);
    await this.store(tenantId, key, value, tags, options.tier, l1Generations, l2Generations, Date.now());
  }

  /**
   * From the moment this resolves, no instance serves an answer carrying one of `tags` from the L2. When
   * Redis cannot be reached, the tags are kept and replayed (generations and broadcast) once it can.
   */
  async invalidateTags(tenantId: number, tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    this.recorder.count('invalidations', tags.length);
    await this.options.l1.invalidate(tenantId, tags);
    if (!this.options.l2) {
      await this.broadcast(tenantId, tags).catch(() => {});
      return;
    }
    if (this.epoch.inOutage || this.pending.has(tenantId)) return this.defer(tenantId, tags);
    try {
      await this.runL2((l2) => l2.invalidate(tenantId, tags));
      await this.broadcast(tenantId, tags);
    } catch {
      this.defer(tenantId, tags);
    }
  }

  stats(): CacheStats {
    return this.recorder.snapshot({
      l1Entries: this.options.l1.size,
      l1KeysPerTag: this.options.l1.keysPerTag(WHOLE_TENANT_TAG),
      l2: this.options.l2 ? this.options.breakers.state('redis') : 'none',
    });
  }

  /** The L1's entry, unless the outage epoch retired it. */
  private async fromL1(tenantId: number, key: string, tags: readonly string[]): Promise<CacheEntry | null> {
    const local = await this.options.l1.get(tenantId, key, tags);
    return local && this.epoch.admits(local.storedAt) ? local : null;
  }

  /** L2 hit or load, once per key however many callers wait for it. */
  private async fetch<T>(tenantId: number, key: string, tags: readonly string[], options: WrapOptions<T>): Promise<CachedAnswer<T>> {
    const l1Generations = await this.options.l1.generations(tenantId, tags);
    const shared = await this.fromL2(tenantId, key, tags, options.tier, l1Generations);
    if (shared) return this.serve(tenantId, key, tags, options, shared, 'l2');
    this.recorder.count('misses');
    return this.load(tenantId, key, tags, options, l1Generations);
  }

  /** The L2's entry, copied into the L1 for what it has left to live; none while the L2 is not trusted. */
  private async fromL2(tenantId: number, key: string, tags: readonly string[], tier: CacheTier, l1Generations: Generations): Promise<CacheEntry | null> {
    if (!this.l2Trusted(tenantId)) return null;
    const shared = await this.viaL2((l2) => l2.get(tenantId, key, tags));
    if (!shared || !this.epoch.admits(shared.storedAt)) return null;
    await this.options.l1.set(tenantId, key, shared, tags, l1Generations, this.remainingLifeMs(shared, tier));
    return shared;
  }

  /**
   * Whether the L2 may be read and written for this tenant: not during an outage (another instance's
   * invalidation may be missing from it), nor while this instance owes it one of the tenant's.
   */
  private l2Trusted(tenantId: number): boolean {
    return !this.epoch.inOutage && !this.pending.has(tenantId);
  }

  /** The L2's generations of `tags`, or null when it is not to be written (untrusted or unreachable). */
  private sharedGenerations(tenantId: number, tags: readonly string[]): Promise<Generations | null> {
    return this.l2Trusted(tenantId) ? this.viaL2((l2) => l2.generations(tenantId, tags)) : Promise.resolve(null);
  }

  private async load<T>(tenantId: number, key: string, tags: readonly string[], options: WrapOptions<T>, l1Generations: Generations): Promise<CachedAnswer<T>> {
    const l2Generations = await this.sharedGenerations(tenantId, tags);
    this.recorder.count('loads');
    const loadStartedAt = Date.now();
    const value = await options.load();
    await this.store(tenantId, key, value, tags, options.tier, l1Generations, l2Generations, loadStartedAt);
    return { value, source: 'load', stale: false, ageMs: 0 };
  }

  /**
   * Writes both levels unless a tag moved past the generations captured before the value was computed, or
   * an outage began or ended since (`computedAt`, when the load began, is what the outage epoch judges).
   */
  private async store(
    tenantId: number,
    key: string,
    value: unknown,
    tags: readonly string[],
    tier: CacheTier,
    l1Generations: Generations,
    l2Generations: Generations | null,
    computedAt: number,
  ): Promise<void> {
    const { ttlMs, graceMs } = this.tiers[tier];
    const entry: CacheEntry = { value: JSON.stringify(value), storedAt: computedAt, freshUntil: Date.now() + ttlMs };
    if (!this.epoch.admits(computedAt)) {
      this.recorder.count('writesRefused');
      return;
    }
    // Written to the L2 first: if it refuses (an invalidation overtook the load), the L1 must not keep it.
    const toL2 = l2Generations !== null && this.l2Trusted(tenantId);
    const refusedByL2 = toL2 && (await this.viaL2((l2) => l2.set(tenantId, key, entry, tags, l2Generations, ttlMs + graceMs))) === false;
    const lifetimeMs = this.epoch.lifetimeMs(computedAt, ttlMs + graceMs);
    const written = !refusedByL2 && (await this.options.l1.set(tenantId, key, entry, tags, l1Generations, lifetimeMs));
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
    return this.epoch.lifetimeMs(entry.storedAt, Math.max(1, entry.freshUntil + this.tiers[tier].graceMs - Date.now()));
  }

  /** An L2 call through the breaker; null when there is no L2, it failed, or the breaker is open. */
  private async viaL2<R>(operation: (l2: TagStore) => Promise<R>): Promise<R | null> {
    if (!this.options.l2) return null;
    try {
      return await this.runL2(operation);
    } catch {
      return null;
    }
  }

  /** An L2 call through the breaker that throws on failure; a failure the breaker opens on starts an outage. */
  private async runL2<R>(operation: (l2: TagStore) => Promise<R>): Promise<R> {
    const l2 = this.options.l2!;
    try {
      const result = await this.options.breakers.run('redis', () => operation(l2));
      this.failingSince = null;
      return result;
    } catch (error) {
      this.recorder.count('l2Errors');
      this.failingSince ??= Date.now();
      if (this.options.breakers.state('redis') !== 'closed') this.outageBegan(this.failingSince);
      throw error;
    }
  }

  private broadcast(tenantId: number, tags: readonly string[]): Promise<void> {
    const message: InvalidationMessage = { tenantId, tags: [...tags] };
    return this.options.pubsub.publish(this.options.invalidationChannel, JSON.stringify(message));
  }

  private defer(tenantId: number, tags: readonly string[]): void {
    this.recorder.count('invalidationsDeferred', tags.length);
    this.pending.add(tenantId, tags);
  }

  private outageBegan(at: number): void {
    this.outageSignals += 1;
    this.epoch.lost(at);
  }

  /**
   * Once Redis answers again: replays the invalidations it missed (generations, then broadcast), then ends
   * the outage, retiring what was cached before. Runs on reconnection and on a timer; one at a time.
   */
  private resync(): void {
    if (this.resyncing || !this.outOfSync) return;
    if (this.options.link && !this.options.link.isReady()) return;
    this.resyncing = this.replay()
      .catch(() => {})
      .finally(() => (this.resyncing = null));
  }

  private async replay(): Promise<void> {
    const signalsBefore = this.outageSignals;
    await this.options.link?.probe();
    // Through the breaker, so that its half-open probe, not a flood of calls, finds out whether Redis is back.
    await this.runL2((l2) => l2.generations(0, [WHOLE_TENANT_TAG]));
    for (const [tenantId, tags] of this.pending.snapshot()) {
      await this.runL2((l2) => l2.invalidate(tenantId, tags));
      await this.broadcast(tenantId, tags);
      this.pending.settle(tenantId, tags);
      this.recorder.count('invalidationsReplayed', tags.length);
    }
    if (this.epoch.inOutage && this.outageSignals === signalsBefore) this.epoch.restored();
  }
}

/**
 * Tags in one order, without repeats (stored generation stamps are compared position by position), and the
 * tenant-wide tag that lets deferred invalidations collapse to "all of this tenant".
 */
function entryTags(tags: readonly string[]): readonly string[] {
  // Day tags come ascending already; sorting 60 of them on every cached read was a visible cost.
  const canonical = tags.every((tag, index) => index === 0 || tags[index - 1]! < tag);
  const last = tags[tags.length - 1];
  if (canonical && (last === undefined || last < WHOLE_TENANT_TAG)) return [...tags, WHOLE_TENANT_TAG];
  if (canonical && last === WHOLE_TENANT_TAG) return tags;
  return [...new Set([...tags, WHOLE_TENANT_TAG])].sort();
}
