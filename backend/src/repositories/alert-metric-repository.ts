import type pg from 'pg';
import { ZEventMatch } from '@pulse/shared/event-match';
import type { TFilter } from '@pulse/shared/filters';
import { filterConditions } from './event-filter-sql.ts';
import { matchCondition } from './event-match-sql.ts';
import { HUMAN } from './rollup-sql.ts';
import { Params } from './sql-params.ts';

/** The rollup whose buckets tile a window of each length (every one of them is aligned to its buckets). */
const EVENT_ROLLUP: Record<number, string> = { 300: 'rollup_minute', 3_600: 'rollup_hour', 86_400: 'rollup_day' };
const VISITOR_UNIT: Record<number, string> = { 3_600: 'hour', 86_400: 'day' };

/**
 * What alert rules watch, per window. Events and visitors come from the rollups: each evaluation costs an index
 * range over a few rollup rows, whatever the tenant's traffic. Filtered events and goals come from the window's
 * raw events (through the (tenant, name, ts) index when a name is known, else the window's rows).
 */
export class AlertMetricRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Human events (of `name`, when given) in each window of `windowSeconds` ending at `windowEnds`; 0 for none. */
  async eventCounts(tenantId: number, name: string | undefined, windowSeconds: number, windowEnds: readonly Date[]): Promise<number[]> {
    const table = EVENT_ROLLUP[windowSeconds];
    if (!table) throw new Error(`no rollup tiles a ${windowSeconds}-second window`);
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT coalesce(sum(r.count), 0) AS count
         FROM unnest($2::timestamptz[]) WITH ORDINALITY AS w(window_end, position)
         LEFT JOIN ${table} r ON r.tenant_id = $1 AND r.bucket >= w.window_end - make_interval(secs => $3) AND r.bucket < w.window_end
                              AND ($4::text IS NULL OR r.name = $4)
        GROUP BY w.position ORDER BY w.position`,
      [tenantId, windowEnds, windowSeconds, name ?? null],
    );
    return rows.map((row) => Number(row.count));
  }

  /** Distinct visitors in each hour or day ending at `windowEnds` (the bits of that bucket's bitmap); 0 for none. */
  async visitorCounts(tenantId: number, windowSeconds: number, windowEnds: readonly Date[]): Promise<number[]> {
    const unit = VISITOR_UNIT[windowSeconds];
    if (!unit) throw new Error(`visitors are not counted per ${windowSeconds}-second window`);
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT coalesce(sum(bit_count(b.bits)), 0) AS count
         FROM unnest($2::timestamptz[]) WITH ORDINALITY AS w(window_end, position)
         LEFT JOIN unique_bitmaps b ON b.tenant_id = $1 AND b.kind = 'visitor' AND b.unit = $3
                                   AND b.bucket = w.window_end - make_interval(secs => $4)
        GROUP BY w.position ORDER BY w.position`,
      [tenantId, windowEnds, unit, windowSeconds],
    );
    return rows.map((row) => Number(row.count));
  }

  /** Human events (of `name`, when given) meeting every filter, in each window ending at `windowEnds`. */
  async filteredEventCounts(
    tenantId: number,
    name: string | undefined,
    filters: readonly TFilter[],
    windowSeconds: number,
    windowEnds: readonly Date[],
  ): Promise<number[]> {
    return Promise.all(
      windowEnds.map((windowEnd) => {
        const params = new Params();
        const named = name === undefined ? '' : ` AND name = ${params.add(name)}`;
        return this.rawCount(params, tenantId, windowSeconds, windowEnd, `${named}${filterConditions(params, filters)}`);
      }),
    );
  }

  /** The goal's conversions (events it matches) in each window ending at `windowEnds`; null when the tenant has no such goal. */
  async goalConversions(tenantId: number, goalId: number, windowSeconds: number, windowEnds: readonly Date[]): Promise<number[] | null> {
    const { rows } = await this.pool.query<{ match: unknown }>('SELECT match FROM goals WHERE tenant_id = $1 AND id = $2', [tenantId, goalId]);
    if (rows.length === 0) return null;
    const match = ZEventMatch.parse(rows[0]!.match);
    return Promise.all(
      windowEnds.map((windowEnd) => {
        const params = new Params();
        return this.rawCount(params, tenantId, windowSeconds, windowEnd, ` AND ${matchCondition(params, match)}`);
      }),
    );
  }

  private async rawCount(params: Params, tenantId: number, windowSeconds: number, windowEnd: Date, conditions: string): Promise<number> {
    const [tenant, from, to] = [tenantId, new Date(windowEnd.getTime() - windowSeconds * 1_000), windowEnd].map((value) => params.add(value));
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(*) AS count FROM events WHERE tenant_id = ${tenant} AND ts >= ${from} AND ts < ${to} AND ${HUMAN}${conditions}`,
      params.values,
    );
    return Number(rows[0]!.count);
  }
}
