import type { TSummaryRequest, TSummaryResponse } from '@pulse/shared/analytics';
import type { KeyValueCache } from '../infra/cache/key-value-cache.ts';
import type { AnalyticsRepository } from '../repositories/analytics-repository.ts';
import { dataVersionKey, tenantTag } from './cache-keys.ts';

const SUMMARY_TTL_SECONDS = 60;

export class AnalyticsService {
  constructor(
    private readonly analytics: AnalyticsRepository,
    private readonly cache: KeyValueCache,
  ) {}

  /** Totals and counts per event name over [from, to), cached until the tenant's next commit. */
  async summary(tenantId: number, range: TSummaryRequest): Promise<TSummaryResponse> {
    const from = new Date(range.from);
    const to = new Date(range.to);
    // The data version is read before the database, so an answer computed from older data is stored
    // under an older version and can never be served after a newer commit.
    const version = (await this.readCache(dataVersionKey(tenantId))) ?? '0';
    const cacheKey = `summary:${tenantTag(tenantId)}:v${version}:${from.toISOString()}:${to.toISOString()}`;
    const cached = await this.readCache(cacheKey);
    if (cached) return JSON.parse(cached) as TSummaryResponse;

    const [totals, byType] = await Promise.all([
      this.analytics.totals(tenantId, from, to),
      this.analytics.countByName(tenantId, from, to),
    ]);
    const summary: TSummaryResponse = { from: from.toISOString(), to: to.toISOString(), ...totals, byType };
    await this.cache.set(cacheKey, JSON.stringify(summary), SUMMARY_TTL_SECONDS).catch(() => {});
    return summary;
  }

  /** A cache that cannot answer is a miss, not an error: the database still can. */
  private async readCache(key: string): Promise<string | null> {
    return this.cache.get(key).catch(() => null);
  }
}
