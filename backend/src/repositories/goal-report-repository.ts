import type pg from 'pg';
import type { TEventMatch } from '@pulse/shared/event-match';
import type { TFilter } from '@pulse/shared/filters';
import { filterConditions } from './event-filter-sql.ts';
import { matchCondition } from './event-match-sql.ts';
import { HUMAN, VISITOR_ID } from './rollup-sql.ts';
import { Params } from './sql-params.ts';

export interface GoalCounts {
  /** Events that match the goal. */
  conversions: number;
  /** Distinct visitors with at least one. */
  visitors: number;
}

export interface GoalsReportCounts {
  /** Every visitor of the range. */
  visitors: number;
  /** One per goal, in the order asked. */
  goals: GoalCounts[];
}

/**
 * Goal conversions from raw events: goals filter single events by any column or property, which the rollups
 * (counts by name and one dimension at a time) cannot answer. One pass over the range: every goal is a pair
 * of conditional aggregates, so fifty goals cost one scan, not fifty.
 */
export class GoalReportRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Human events in [from, to) that meet every filter: all visitors, and per goal its events and visitors. */
  async counts(tenantId: number, range: { from: Date; to: Date }, goals: readonly TEventMatch[], filters: readonly TFilter[]): Promise<GoalsReportCounts> {
    const params = new Params();
    const perGoal = goals.map((match, index) => {
      const matches = matchCondition(params, match);
      return `, count(*) FILTER (WHERE ${matches}) AS conversions_${index}, count(DISTINCT ${VISITOR_ID}) FILTER (WHERE ${matches}) AS visitors_${index}`;
    });
    const [tenant, from, to] = [tenantId, range.from, range.to].map((value) => params.add(value));
    const { rows } = await this.pool.query<Record<string, string>>(
      `SELECT count(DISTINCT ${VISITOR_ID}) AS visitors${perGoal.join('')}
         FROM events
        WHERE tenant_id = ${tenant} AND ts >= ${from} AND ts < ${to} AND ${HUMAN}${filterConditions(params, filters)}`,
      params.values,
    );
    const row = rows[0]!;
    return {
      visitors: Number(row.visitors),
      goals: goals.map((_goal, index) => ({ conversions: Number(row[`conversions_${index}`]), visitors: Number(row[`visitors_${index}`]) })),
    };
  }
}
