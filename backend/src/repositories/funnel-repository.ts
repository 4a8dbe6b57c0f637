import type pg from 'pg';
import type { TEventMatch } from '@pulse/shared/event-match';
import type { TFilter } from '@pulse/shared/filters';
import { FUNNEL_NO_VALUE, type TFunnelBreakdown } from '@pulse/shared/funnels';
import { FILTER_COLUMN_SQL, filterConditions } from './event-filter-sql.ts';
import { matchCondition } from './event-match-sql.ts';
import { HUMAN } from './rollup-sql.ts';
import { Params } from './sql-params.ts';

export interface FunnelQuery {
  from: Date;
  to: Date;
  steps: readonly TEventMatch[];
  windowSeconds: number;
  filters: readonly TFilter[];
  breakdown?: TFunnelBreakdown;
  /** With a breakdown: how many values, those with the most entrants. */
  limit: number;
}

export interface FunnelStepCount {
  visitors: number;
  /** From the step before, in seconds; null for step 1 and when nobody reached the step. */
  medianSeconds: number | null;
}

export interface FunnelCounts {
  overall: FunnelStepCount[];
  /** Empty without a breakdown. */
  byValue: Array<{ value: string; steps: FunnelStepCount[] }>;
}

/**
 * Funnels from raw events (see FUNNEL_DEFINITION in shared/src/funnels.ts). One scan of the range reads only
 * the events that meet some step, each with one boolean per step; step 1 is each visitor's first step-1 event,
 * and each next step the visitor's first event of it strictly after the step before and within the window of
 * entering: one hash join per step against those rows (kept from the one scan), never another scan of events.
 */
export class FunnelRepository {
  constructor(private readonly pool: pg.Pool) {}

  async funnel(tenantId: number, query: FunnelQuery): Promise<FunnelCounts> {
    const params = new Params();
    const [tenant, from, to, windowSeconds] = [tenantId, query.from, query.to, query.windowSeconds].map((value) => params.add(value));
    const conditions = query.steps.map((step) => matchCondition(params, step));
    const eventNames = query.steps.flatMap((step) => (step.kind === 'event' ? [step.name] : []));
    // With every step an event name, the (tenant_id, name, ts) index finds the rows; a page step needs the range's scan.
    const byName = eventNames.length === query.steps.length ? ` AND name = ANY(${params.add(eventNames)}::text[])` : '';
    const value = breakdownExpression(params, query.breakdown);
    const stepCount = query.steps.length;
    const later = Array.from({ length: stepCount - 1 }, (_, index) => index + 2);

    const matched = `SELECT coalesce(user_id, anonymous_id) AS visitor, ts${value ? `, message_id, ${value} AS value` : ''},
                            ${conditions.map((condition, index) => `${condition} AS s${index + 1}`).join(', ')}
                       FROM events
                      WHERE tenant_id = ${tenant} AND ts >= ${from} AND ts < ${to} AND ${HUMAN}
                        AND coalesce(user_id, anonymous_id) IS NOT NULL${filterConditions(params, query.filters)}${byName}
                        AND (${conditions.join(' OR ')})`;
    // Ties at the entry instant take the lowest message id (byte order), so the breakdown value is one event's.
    const entry = value
      ? `SELECT DISTINCT ON (visitor) visitor, ts AS entry, ts, coalesce(value, ${params.add(FUNNEL_NO_VALUE)}) AS value
           FROM matched WHERE s1 ORDER BY visitor, ts, message_id COLLATE "C"`
      : 'SELECT visitor, min(ts) AS entry, min(ts) AS ts FROM matched WHERE s1 GROUP BY visitor';
    const steps = later.map(
      (step) => `step${step} AS (
         SELECT previous.visitor, previous.entry, min(m.ts) AS ts
           FROM step${step - 1} previous
           JOIN matched m ON m.visitor = previous.visitor AND m.s${step} AND m.ts > previous.ts
                         AND m.ts <= previous.entry + ${windowSeconds}::int * interval '1 second'
          GROUP BY previous.visitor, previous.entry)`,
    );
    const counts = [
      'count(*) AS v1',
      ...later.map(
        (step) =>
          `count(step${step}.ts) AS v${step}, ` +
          `percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM step${step}.ts - step${step - 1}.ts)::float8) AS m${step}`,
      ),
    ];
    const joins = later.map((step) => `LEFT JOIN step${step} USING (visitor)`).join(' ');
    const grouping = value
      ? `SELECT GROUPING(step1.value) = 1 AS overall, step1.value, ${counts.join(', ')}
           FROM step1 ${joins}
          GROUP BY GROUPING SETS ((), (step1.value))
          ORDER BY 1 DESC, count(*) DESC, step1.value COLLATE "C" LIMIT ${params.add(query.limit + 1)}`
      : `SELECT true AS overall, NULL::text AS value, ${counts.join(', ')} FROM step1 ${joins}`;

    const { rows } = await this.pool.query<Record<string, string | number | boolean | null>>(
      `WITH matched AS MATERIALIZED (${matched}),
            step1 AS (${entry}),
            ${steps.join(',\n')}
       ${grouping}`,
      params.values,
    );
    const stepsOf = (row: (typeof rows)[number]): FunnelStepCount[] =>
      Array.from({ length: stepCount }, (_, index) => ({
        visitors: Number(row[`v${index + 1}`]),
        medianSeconds: row[`m${index + 1}`] == null ? null : Number(row[`m${index + 1}`]),
      }));
    const overall = rows.find((row) => row.overall === true);
    return {
      overall: stepsOf(overall!),
      byValue: rows.filter((row) => row.overall !== true).map((row) => ({ value: String(row.value), steps: stepsOf(row) })),
    };
  }
}

function breakdownExpression(params: Params, breakdown: TFunnelBreakdown | undefined): string | null {
  if (breakdown === undefined) return null;
  if (typeof breakdown === 'string') return FILTER_COLUMN_SQL[breakdown];
  return `(properties ->> ${params.add(breakdown.property)})`;
}
