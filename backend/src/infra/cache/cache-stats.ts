import type { TCacheStats } from '@pulse/shared/system';

const COUNTERS = [
  'l1Hits',
  'l2Hits',
  'misses',
  'staleServed',
  'loads',
  'loadErrors',
  'writesRefused',
  'invalidations',
  'invalidationsDeferred',
  'invalidationsReplayed',
  'l2Errors',
] as const;
export type CacheCounter = (typeof COUNTERS)[number];

/** Upper bounds (ms) of the latency histogram's buckets; the last bucket takes everything above. */
export const LATENCY_BUCKETS_MS = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500] as const;

/** The shape crosses the wire as `system.cacheStats`, so it is defined once, in shared/. */
export type CacheStats = TCacheStats;

export class CacheStatsRecorder {
  private readonly counters = Object.fromEntries(COUNTERS.map((name) => [name, 0])) as Record<CacheCounter, number>;
  private readonly bucketCounts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);

  count(counter: CacheCounter, by = 1): void {
    this.counters[counter] += by;
  }

  latency(ms: number): void {
    const index = LATENCY_BUCKETS_MS.findIndex((bound) => ms <= bound);
    this.bucketCounts[index === -1 ? LATENCY_BUCKETS_MS.length : index]! += 1;
  }

  snapshot(state: Pick<CacheStats, 'l1Entries' | 'l1KeysPerTag' | 'l2'>): CacheStats {
    const hits = this.counters.l1Hits + this.counters.l2Hits;
    const reads = hits + this.counters.misses;
    return {
      counters: { ...this.counters },
      hitRatio: reads === 0 ? 0 : hits / reads,
      latency: {
        buckets: this.bucketCounts.map((count, index) => ({ le: LATENCY_BUCKETS_MS[index] ?? null, count })),
        p50Ms: this.percentileBound(0.5),
        p99Ms: this.percentileBound(0.99),
      },
      ...state,
    };
  }

  /** The upper bound of the bucket holding the given share of reads (null when none was recorded). */
  private percentileBound(share: number): number | null {
    const total = this.bucketCounts.reduce((sum, count) => sum + count, 0);
    if (total === 0) return null;
    let seen = 0;
    for (const [index, count] of this.bucketCounts.entries()) {
      seen += count;
      if (seen >= share * total) return LATENCY_BUCKETS_MS[index] ?? null;
    }
    return null;
  }
}
