import type pg from 'pg';
import type { TFilter } from '@pulse/shared/filters';
import type { AnalyticsService } from '@pulse/backend/services/analytics-service';

type Range = { from: string; to: string };

/** The services a question is asked of (uncached). */
export interface InsightServices {
  analytics: AnalyticsService;
}

/**
 * One of issue 19's benchmark questions: asked of Pulse, and answered again by a plain scan of the raw rows (what
 * a design without rollups or other structures does: the peer-style baseline), both over the same range.
 */
export interface InsightQuestion {
  label: string;
  /** p95 target, uncached, on the 2-core benchmark machine. */
  targetMs: number;
  ask(services: InsightServices, tenantId: number, range: Range): Promise<unknown>;
  plainScan(pool: pg.Pool, tenantId: number, range: Range): Promise<unknown>;
}

/** The raw-row summary a peer runs: counts by name, distinct visitors and sessions, for the range and the one before. */
function plainSummary(pool: pg.Pool, tenantId: number, range: Range, condition: string, values: unknown[]): Promise<unknown> {
  const periods = [range, { from: new Date(2 * Date.parse(range.from) - Date.parse(range.to)).toISOString(), to: range.from }];
  return Promise.all(
    periods.map((period) =>
      pool.query(
        `SELECT name, count(*), count(DISTINCT coalesce(user_id, anonymous_id)), count(DISTINCT session_id)
           FROM events WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 AND NOT is_bot AND ${condition} GROUP BY ROLLUP (name)`,
        [tenantId, period.from, period.to, ...values],
      ),
    ),
  );
}

function filteredSummary(label: string, filter: TFilter, condition: string, value: unknown): InsightQuestion {
  return {
    label,
    targetMs: 500,
    ask: (services, tenantId, range) => services.analytics.summary(tenantId, { ...range, filters: [filter] }),
    plainScan: (pool, tenantId, range) => plainSummary(pool, tenantId, range, condition, [value]),
  };
}

export const INSIGHT_QUESTIONS: InsightQuestion[] = [
  filteredSummary(
    'summary where properties.plan is "pro"',
    { field: 'property', key: 'plan', operator: 'is', value: 'pro' },
    "properties ->> 'plan' = $4",
    'pro',
  ),
  filteredSummary('summary where path starts with "/docs"', { field: 'path', operator: 'startsWith', value: '/docs' }, "path LIKE $4 || '%'", '/docs'),
  filteredSummary('summary where country is "DE"', { field: 'country', operator: 'is', value: 'DE' }, 'country = $4', 'DE'),
  {
    label: 'property breakdown by plan',
    targetMs: 500,
    ask: (services, tenantId, range) => services.analytics.propertyBreakdown(tenantId, { ...range, key: 'plan', limit: 10 }),
    plainScan: (pool, tenantId, range) =>
      pool.query(
        `SELECT properties ->> 'plan' AS value, count(*) FROM events
          WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 AND NOT is_bot AND properties ? 'plan' GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
        [tenantId, range.from, range.to],
      ),
  },
];
