import type pg from 'pg';
import { createBreakers, DEFAULT_BREAKER_CONFIG } from '@pulse/backend/infra/breakers/create-breakers';
import { AnalyticsRepository } from '@pulse/backend/repositories/analytics-repository';
import { CohortRepository } from '@pulse/backend/repositories/cohort-repository';
import { FunnelRepository } from '@pulse/backend/repositories/funnel-repository';
import { ValueRollupRepository } from '@pulse/backend/repositories/value-rollup-repository';
import { AnalyticsService, type AnswerCache } from '@pulse/backend/services/analytics-service';
import { CachedAnswers } from '@pulse/backend/services/cached-answers';
import { CohortRetentionService } from '@pulse/backend/services/cohort-retention-service';
import { DatabaseReads } from '@pulse/backend/services/database-reads';
import { FunnelService } from '@pulse/backend/services/funnel-service';
import { TimeZoneCheck } from '@pulse/backend/services/time-zone-check';
import type { InsightServices } from './insight-questions.ts';

/** Never hits: every answer is computed from the database. */
const noCache: AnswerCache = { wrap: async (_tenantId, _key, { load }) => ({ value: await load(), source: 'load', stale: false, ageMs: 0 }) };

/**
 * The services the benchmarks ask (bench:query, bench:compare's runner), without a cache and without a read
 * timeout: the point is how long the database takes.
 */
export function uncachedServices(pool: pg.Pool): InsightServices {
  const breakers = createBreakers({ ...DEFAULT_BREAKER_CONFIG, PG_READ_TIMEOUT_MS: 3_600_000 });
  const answers = new CachedAnswers(noCache, breakers, new DatabaseReads(breakers, null));
  return {
    analytics: new AnalyticsService(new AnalyticsRepository(pool), new ValueRollupRepository(pool), noCache, breakers),
    funnels: new FunnelService(new FunnelRepository(pool), answers),
    cohorts: new CohortRetentionService(new CohortRepository(pool), answers, new TimeZoneCheck(() => new AnalyticsRepository(pool).timeZoneNames())),
  };
}
