import type { KeyValueCache } from './key-value-cache.ts';

interface Entry {
  value: string;
  expiresAt: number;
}

/** In-process twin of RedisCache, bounded so a long-running process cannot grow without limit. */
export class MemoryCache implements KeyValueCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.store(key, { value, expiresAt: this.now() + ttlSeconds * 1_000 });
  }

  async increment(key: string): Promise<number> {
    const next = Number((await this.get(key)) ?? '0') + 1;
    this.store(key, { value: String(next), expiresAt: Number.POSITIVE_INFINITY });
    return next;
  }

  private store(key: string, entry: Entry): void {
    // Re-inserting moves the key to the end, so the first key in the map is the least recently written.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      const oldestKey = this.entries.keys().next().value;
      if (oldestKey !== undefined) this.entries.delete(oldestKey);
    }
  }
}
