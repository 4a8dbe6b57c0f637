import type pg from 'pg';
import type { TFilter } from '@pulse/shared/filters';
import type { AnalyticsService } from '@pulse/backend/services/analytics-service';
import type { CohortRetentionService } from '@pulse/backend/services/cohort-retention-service';
import type { FunnelService } from '@pulse/backend/services/funnel-service';

type Range = { from: string; to: string };

/** The services a question is asked of (uncached). */
export interface InsightServices {
  analytics: AnalyticsService;
  funnels: FunnelService;
  cohorts: CohortRetentionService;
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

const FUNNEL_STEPS = ['session_start', 'add_to_cart', 'purchase'];

/** The funnel as a peer writes it: each step a join back to the events table from the visitors of the step before. */
function plainFunnel(pool: pg.Pool, tenantId: number, range: Range): Promise<unknown> {
  const visitor = 'coalesce(e.user_id, e.anonymous_id)';
  const next = (step: number) =>
    `s${step + 1} AS (SELECT s.v, s.entered, min(e.ts) AS t FROM s${step} s JOIN events e ON e.tenant_id = $1 AND ${visitor} = s.v
       AND e.name = $${step + 4} AND e.ts > s.t AND e.ts <= s.entered + interval '1 day' AND e.ts < $3 AND NOT e.is_bot GROUP BY 1, 2)`;
  return pool.query(
    `WITH s1 AS (SELECT ${visitor} AS v, min(e.ts) AS entered, min(e.ts) AS t FROM events e
                  WHERE e.tenant_id = $1 AND e.ts >= $2 AND e.ts < $3 AND e.name = $4 AND NOT e.is_bot AND ${visitor} IS NOT NULL GROUP BY 1),
          ${next(1)}, ${next(2)}
     SELECT (SELECT count(*) FROM s1), (SELECT count(*) FROM s2), (SELECT count(*) FROM s3)`,
    [tenantId, range.from, range.to, ...FUNNEL_STEPS],
  );
}

const WEEK_MS = 7 * 86_400_000;

/** Retention's range: the 8 weeks that end where the benchmark's range ends. */
const eightWeeks = (range: Range): Range => ({ from: new Date(Date.parse(range.to) - 8 * WEEK_MS).toISOString(), to: range.to });

/** Weekly retention as a peer writes it: each visitor's first week, joined to every week they were active in. */
function plainRetention(pool: pg.Pool, tenantId: number, range: Range, cohortEvent: string | null, returnEvent: string | null): Promise<unknown> {
  const { from, to } = eightWeeks(range);
  return pool.query(
    `WITH scanned AS (SELECT coalesce(user_id, anonymous_id) AS v, ts, name FROM events
                       WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 AND NOT is_bot AND coalesce(user_id, anonymous_id) IS NOT NULL),
          firsts AS (SELECT v, date_trunc('week', min(ts) AT TIME ZONE 'UTC') AS cohort FROM scanned WHERE $4::text IS NULL OR name = $4 GROUP BY v),
          active AS (SELECT DISTINCT v, date_trunc('week', ts AT TIME ZONE 'UTC') AS period FROM scanned WHERE $5::text IS NULL OR name = $5)
     SELECT cohort, period, count(*) FROM firsts JOIN active USING (v) WHERE period >= cohort GROUP BY 1, 2`,
    [tenantId, from, to, cohortEvent, returnEvent],
  );
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
  {
    label: `3-step funnel (${FUNNEL_STEPS.join(' → ')}, 1-day window)`,
    targetMs: 1_500,
    ask: (services, tenantId, range) =>
      services.funnels.funnel(tenantId, { ...range, steps: FUNNEL_STEPS.map((name) => ({ kind: 'event' as const, name })), windowSeconds: 86_400 }),
    plainScan: plainFunnel,
  },
  {
    label: '8-week retention by week (first seen, any return)',
    targetMs: 1_500,
    ask: (services, tenantId, range) => services.cohorts.retention(tenantId, { ...eightWeeks(range), period: 'week', timeZone: 'UTC' }),
    plainScan: (pool, tenantId, range) => plainRetention(pool, tenantId, range, null, null),
  },
  {
    label: '8-week retention by week (signup cohorts, purchase returns)',
    targetMs: 1_500,
    ask: (services, tenantId, range) =>
      services.cohorts.retention(tenantId, {
        ...eightWeeks(range),
        period: 'week',
        timeZone: 'UTC',
        cohortEvent: { kind: 'event', name: 'signup' },
        returnEvent: { kind: 'event', name: 'purchase' },
      }),
    plainScan: (pool, tenantId, range) => plainRetention(pool, tenantId, range, 'signup', 'purchase'),
  },
];
