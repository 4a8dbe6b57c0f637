import type pg from 'pg';
import { DIMENSION_EXPRESSION, SESSION_HASH, VISITOR_HASH, type RollupDimension } from './rollup-sql.ts';
import type { TimeSegment } from '../services/time-segments.ts';

export interface EventTotals {
  totalEvents: number;
  uniqueUsers: number;
  sessions: number;
}

export interface NameCount {
  name: string;
  count: number;
}

export interface ValueCount {
  value: string;
  count: number;
}

/** Positional parameters collected while a statement is put together. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Read queries over rollups, with raw events only for the ragged edges of a range. Every method takes the
 * tenant; ranges are half-open, [from, to).
 */
export class AnalyticsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async countsByName(tenantId: number, segments: readonly TimeSegment[]): Promise<NameCount[]> {
    const params = new Params();
    const counts = countsUnion(params, tenantId, segments);
    const { rows } = await this.pool.query<{ name: string; count: string }>(
      `SELECT name, sum(count) AS count FROM (${counts}) counts GROUP BY name ORDER BY sum(count) DESC, name`,
      params.values,
    );
    return rows.map((row) => ({ name: row.name, count: Number(row.count) }));
  }

  /**
   * Distinct visitors and sessions (by their 64-bit hashes): the daily sets for whole UTC days, raw events
   * for the rest of the range.
   * `days` is the whole-day part of [from, to), or null when there is none.
   */
  async uniques(tenantId: number, from: Date, to: Date, days: { from: Date; to: Date } | null): Promise<Omit<EventTotals, 'totalEvents'>> {
    const dayFrom = days?.from ?? to;
    const dayTo = days?.to ?? to;
    const { rows } = await this.pool.query<{ users: string; sessions: string }>(
      `WITH edges AS (
         SELECT ${VISITOR_HASH} AS visitor_hash,
                ${SESSION_HASH} AS session_hash
           FROM events
          WHERE tenant_id = $1 AND ((ts >= $2 AND ts < $3) OR (ts >= $4 AND ts < $5))
       )
       SELECT
         (SELECT count(*) FROM (
            SELECT visitor_hash FROM daily_visitors WHERE tenant_id = $1 AND bucket >= $3 AND bucket < $4
            UNION SELECT visitor_hash FROM edges WHERE visitor_hash IS NOT NULL) v) AS users,
         (SELECT count(*) FROM (
            SELECT session_hash FROM daily_sessions WHERE tenant_id = $1 AND bucket >= $3 AND bucket < $4
            UNION SELECT session_hash FROM edges WHERE session_hash IS NOT NULL) s) AS sessions`,
      [tenantId, from, dayFrom, dayTo, to],
    );
    return { uniqueUsers: Number(rows[0]?.users ?? 0), sessions: Number(rows[0]?.sessions ?? 0) };
  }

  /** Counts per bucket of `unit` in `timeZone`, every bucket of [from, to) present, empty ones as 0. */
  async timeseries(
    tenantId: number,
    segments: readonly TimeSegment[],
    range: { from: Date; to: Date; unit: string; timeZone: string; name?: string },
  ): Promise<Array<{ bucket: Date; count: number }>> {
    const params = new Params();
    const counts = countsUnion(params, tenantId, segments, range.name);
    const unit = params.add(range.unit);
    const zone = params.add(range.timeZone);
    const from = params.add(range.from);
    const to = params.add(range.to);
    const { rows } = await this.pool.query<{ bucket: Date; count: string }>(
      `WITH counts AS (
         SELECT date_trunc(${unit}, ts, ${zone}) AS bucket, sum(count) AS count FROM (${counts}) c GROUP BY 1
       ),
       buckets AS (
         SELECT local AT TIME ZONE ${zone} AS bucket
           FROM generate_series(date_trunc(${unit}, ${from}::timestamptz AT TIME ZONE ${zone}),
                                (${to}::timestamptz - interval '1 millisecond') AT TIME ZONE ${zone},
                                ('1 ' || ${unit})::interval) AS local
       )
       SELECT buckets.bucket, coalesce(counts.count, 0) AS count
         FROM buckets LEFT JOIN counts USING (bucket) ORDER BY 1`,
      params.values,
    );
    return rows.map((row) => ({ bucket: row.bucket, count: Number(row.count) }));
  }

  /** Counts per value of a dimension: the daily rollup for whole UTC days, raw events for the rest. */
  async dimensionCounts(
    tenantId: number,
    dimension: RollupDimension,
    from: Date,
    to: Date,
    days: { from: Date; to: Date } | null,
    limit: number,
  ): Promise<ValueCount[]> {
    const dayFrom = days?.from ?? to;
    const dayTo = days?.to ?? to;
    const expression = DIMENSION_EXPRESSION[dimension];
    const { rows } = await this.pool.query<{ value: string; count: string }>(
      `SELECT value, sum(count) AS count FROM (
         SELECT value, count FROM rollup_dimension_day
          WHERE tenant_id = $1 AND dimension = $2 AND bucket >= $4 AND bucket < $5
         UNION ALL
         SELECT ${expression} AS value, 1 AS count FROM events
          WHERE tenant_id = $1 AND ((ts >= $3 AND ts < $4) OR (ts >= $5 AND ts < $6))
       ) counts
       WHERE value IS NOT NULL
       GROUP BY value ORDER BY sum(count) DESC, value LIMIT $7`,
      [tenantId, dimension, from, dayFrom, dayTo, to, limit],
    );
    return rows.map((row) => ({ value: row.value, count: Number(row.count) }));
  }
}

/** A UNION ALL of (ts, name, count) rows that together count every event of the segments exactly once. */
function countsUnion(params: Params, tenantId: number, segments: readonly TimeSegment[], name?: string): string {
  const tenant = params.add(tenantId);
  const nameFilter = name === undefined ? '' : ` AND name = ${params.add(name)}`;
  const parts = segments.map((segment) => {
    const from = params.add(segment.from);
    const to = params.add(segment.to);
    return segment.source === 'raw'
      ? `SELECT ts, name, 1::bigint AS count FROM events WHERE tenant_id = ${tenant} AND ts >= ${from} AND ts < ${to}${nameFilter}`
      : `SELECT bucket AS ts, name, count FROM rollup_${segment.source} WHERE tenant_id = ${tenant} AND bucket >= ${from} AND bucket < ${to}${nameFilter}`;
  });
  // An empty range still needs a well-formed (empty) relation.
  return parts.length > 0 ? parts.join(' UNION ALL ') : 'SELECT now() AS ts, NULL::text AS name, 0::bigint AS count WHERE false';
}
