/**
 * Storage for the tag cache: entries with the tags they depend on, per tenant. The Redis store is shared
 * by all instances; the in-process store is each instance's L1, and the whole cache in embedded mode.
 * Both satisfy tag-store.contract.int.test.ts.
 */
export interface CacheEntry {
  /** The cached answer, serialised. */
  value: string;
  /** When the load that computed the answer began (ms since the epoch): its data is at least this recent. */
  storedAt: number;
  /** Until when it is fresh; after that it may still be served, once, while it is refreshed. */
  freshUntil: number;
}

/** A tag's invalidation count; captured before a load, so a load that an invalidation overtook is refused. */
export type Generations = readonly number[];

export interface TagStore {
  /** The current generation of each tag, in the order given. */
  generations(tenantId: number, tags: readonly string[]): Promise<Generations>;

  /**
   * The entry, unless it is missing, expired, or one of `tags` (the same tags it was written with, in the
   * same order) has been invalidated since it was written.
   */
  get(tenantId: number, key: string, tags: readonly string[]): Promise<CacheEntry | null>;

  /**
   * Writes the entry and its tag memberships in one step, kept for `ttlMs`, unless a tag was invalidated
   * after `generations` were read: then nothing is written and the result is false.
   */
  set(tenantId: number, key: string, entry: CacheEntry, tags: readonly string[], generations: Generations, ttlMs: number): Promise<boolean>;

  /** From the moment this resolves, no entry carrying one of `tags` is served; their keys are removed too. */
  invalidate(tenantId: number, tags: readonly string[]): Promise<void>;
}

/** How long a tag's generation is remembered: far longer than any entry lives, so none can outlive it. */
export const GENERATION_TTL_MS = 86_400_000;
