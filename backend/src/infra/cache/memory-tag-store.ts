import { LRUCache } from 'lru-cache';
import { GENERATION_TTL_MS, type CacheEntry, type Generations, type TagStore } from './tag-store.ts';

interface StoredEntry {
  entry: CacheEntry;
  /** The tags it was written with. */
  tags: readonly string[];
  /** The same, scoped by tenant: the member lists that name this entry. */
  scopedTags: readonly string[];
}

export interface MemoryTagStoreOptions {
  /** Entries kept at most; the least recently used go first. */
  maxEntries: number;
}

const scoped = (tenantId: number, name: string) => `${tenantId}\u0000${name}`;

/** The in-process tag store: each instance's L1, and the whole cache in embedded mode. */
export class MemoryTagStore implements TagStore {
  private readonly keysByTag = new Map<string, Set<string>>();
  private readonly entries: LRUCache<string, StoredEntry>;
  // Far more generations than entries are kept: a generation forgotten during a load would let it write.
  private readonly tagGenerations: LRUCache<string, number>;

  constructor(options: MemoryTagStoreOptions) {
    this.entries = new LRUCache<string, StoredEntry>({
      max: options.maxEntries,
      dispose: (stored, key) => this.forgetMemberships(key, stored),
    });
    this.tagGenerations = new LRUCache<string, number>({ max: options.maxEntries * 10, ttl: GENERATION_TTL_MS });
  }

  /** Entries held now (for stats). */
  get size(): number {
    return this.entries.size;
  }

  /** How many entries each tag holds: what one invalidation of it retires here (`except` left out). */
  keysPerTag(except?: string): { tags: number; mean: number; max: number } {
    let keys = 0;
    let max = 0;
    let tags = 0;
    for (const [tag, members] of this.keysByTag) {
      if (except !== undefined && tag.endsWith(`\u0000${except}`)) continue;
      tags += 1;
      keys += members.size;
      max = Math.max(max, members.size);
    }
    return { tags, mean: tags === 0 ? 0 : keys / tags, max };
  }

  async generations(tenantId: number, tags: readonly string[]): Promise<Generations> {
    return this.currentGenerations(tenantId, tags);
  }

  // No generation check: invalidating a tag deletes every entry carrying it, so an entry still here is valid.
  async get(tenantId: number, key: string, tags: readonly string[]): Promise<CacheEntry | null> {
    const stored = this.entries.get(scoped(tenantId, key));
    const sameTags = stored?.tags.length === tags.length && stored.tags.every((tag, index) => tag === tags[index]);
    return sameTags ? stored.entry : null;
  }

  async set(tenantId: number, key: string, entry: CacheEntry, tags: readonly string[], generations: Generations, ttlMs: number): Promise<boolean> {
    const current = this.currentGenerations(tenantId, tags);
    if (current.some((generation, index) => generation !== generations[index])) return false;
    const entryKey = scoped(tenantId, key);
    this.entries.set(entryKey, { entry, tags, scopedTags: tags.map((tag) => scoped(tenantId, tag)) }, { ttl: ttlMs });
    for (const tag of tags) {
      const members = this.keysByTag.get(scoped(tenantId, tag)) ?? new Set<string>();
      members.add(entryKey);
      this.keysByTag.set(scoped(tenantId, tag), members);
    }
    return true;
  }

  async invalidate(tenantId: number, tags: readonly string[]): Promise<void> {
    for (const tag of tags) {
      const tagKey = scoped(tenantId, tag);
      this.tagGenerations.set(tagKey, (this.tagGenerations.get(tagKey) ?? 0) + 1);
      for (const entryKey of this.keysByTag.get(tagKey) ?? []) this.entries.delete(entryKey);
      this.keysByTag.delete(tagKey);
    }
  }

  private currentGenerations(tenantId: number, tags: readonly string[]): number[] {
    return tags.map((tag) => this.tagGenerations.get(scoped(tenantId, tag)) ?? 0);
  }

  /** An entry that leaves (evicted, expired, replaced, deleted) leaves its tags' member lists too. */
  private forgetMemberships(entryKey: string, stored: StoredEntry): void {
    for (const tag of stored.scopedTags) {
      const members = this.keysByTag.get(tag);
      if (!members) continue;
      members.delete(entryKey);
      if (members.size === 0) this.keysByTag.delete(tag);
    }
  }
}
