import type pg from 'pg';
import type { TFilter } from '@pulse/shared/filters';
import { filterConditions } from './event-filter-sql.ts';
import { Params } from './sql-params.ts';
import { VALUE_ROWS, type ValueDimension } from './value-rollup-sql.ts';
import { DIMENSION_EXPRESSION, EVERY_UNIQUE_KIND, HUMAN, UNIQUE_KEYS_JOIN, VISITOR_ID, ordinalBit, ordinalChunk, type RollupDimension } from './rollup-sql.ts';

/** Where counts for a stretch of time come from: raw events, or one of the rollup tables. */
export type CountSource = 'raw' | 'minute' | 'quarter' | 'hour' | 'day';

const ROLLUP_TABLE: Record<Exclude<CountSource, 'raw'>, string> = {
  minute: 'rollup_minute',
  quarter: 'rollup_quarter_hour',
  hour: 'rollup_hour',
  day: 'rollup_day',
};

/** A stretch of time counted from one source (services/time-segments.ts splits a range into these). */
export interface TimeSegment {
  source: CountSource;
  from: Date;
  to: Date;
}

export interface Interval {
  from: Date;
  to: Date;
}

/**
 * A filtered question's range: whole UTC days answered from the value rollups of `dimension`, and the raw rows
 * of the intervals between them (services/filtered-ranges.ts decides which is which).
 */
export interface FilteredRange {
  dimension: ValueDimension | null;
  rolledDays: Date[];
  raw: Interval[];
}

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

/**
 * Read queries over rollups, with raw events only for the ragged edges of a range. Every method takes the
 * tenant; ranges are half-open, [from, to).
 */
export class AnalyticsRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** `filters` apply to raw segments only: a filtered question is asked of raw events alone. */
  async countsByName(tenantId: number, segments: readonly TimeSegment[], filters: readonly TFilter[] = []): Promise<NameCount[]> {
    const params = new Params();
    const counts = countsUnion(params, tenantId, segments, { filters });
    const { rows } = await this.pool.query<{ name: string; count: string }>(
      `SELECT name, sum(count) AS count FROM (${counts}) counts GROUP BY name ORDER BY sum(count) DESC, name`,
      params.values,
    );
    return rows.map((row) => ({ name: row.name, count: Number(row.count) }));
  }

  /**
   * Counts by name, distinct visitors and sessions of the events in a filtered range that meet every filter: from
   * the value rollups for its rolled days, from one pass over the raw rows for the rest.
   */
  async filteredTotals(tenantId: number, range: FilteredRange, filters: readonly TFilter[]): Promise<EventTotals & { byName: NameCount[] }> {
    const params = new Params();
    const tenant = params.add(tenantId);
    const matched = rawRows(params, tenant, range.raw, `name, ${VISITOR_ID} AS visitor, session_id`, filters);
    const sql =
      range.rolledDays.length === 0
        ? // Raw rows alone: distinct ids counted directly (mapping them to ordinals would only add a join).
          `WITH matched AS MATERIALIZED (${matched})
           SELECT 'name' AS kind, name, count(*) AS count FROM matched GROUP BY name
           UNION ALL SELECT 'visitor', NULL, count(*) FROM (SELECT DISTINCT visitor FROM matched WHERE visitor IS NOT NULL) visitors
           UNION ALL SELECT 'session', NULL, count(*) FROM (SELECT DISTINCT session_id FROM matched WHERE session_id IS NOT NULL) sessions`
        : `WITH matched AS MATERIALIZED (${matched}),
                rolled AS (${rolledRows(params, tenant, range, 'value_rollup_counts', filters)}),
                rolled_bits AS (${rolledRows(params, tenant, range, 'value_rollup_bitmaps', filters)}),
                matched_keys AS (
                  SELECT DISTINCT 'visitor' AS kind, hashtextextended(visitor, 0) AS hash FROM matched WHERE visitor IS NOT NULL
                  UNION SELECT DISTINCT 'session', hashtextextended(session_id, 0) FROM matched WHERE session_id IS NOT NULL
                ),
                bits AS (
                  SELECT kind, chunk, bits FROM rolled_bits
                  UNION ALL
                  SELECT o.kind, ${ordinalChunk('o.ordinal')}, ${ordinalBit('o.ordinal')}
                    FROM matched_keys m JOIN unique_ordinals o ON o.tenant_id = ${tenant} AND o.kind = m.kind AND o.hash = m.hash
                )
           SELECT 'name' AS kind, name, sum(count) AS count
             FROM (SELECT name, count FROM rolled UNION ALL SELECT name, 1 FROM matched) counts GROUP BY name
           UNION ALL
           SELECT kind, NULL, sum(bit_count(bits)) FROM (SELECT kind, chunk, bit_or(bits) AS bits FROM bits GROUP BY 1, 2) chunks GROUP BY kind`;
    const { rows } = await this.pool.query<{ kind: 'name' | 'visitor' | 'session'; name: string | null; count: string }>(sql, params.values);
    const byName = rows
      .filter((row) => row.kind === 'name')
      .map((row) => ({ name: row.name!, count: Number(row.count) }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const count = (kind: string) => Number(rows.find((row) => row.kind === kind)?.count ?? 0);
    return { byName, totalEvents: byName.reduce((sum, row) => sum + row.count, 0), uniqueUsers: count('visitor'), sessions: count('session') };
  }

  /**
   * Distinct visitors and sessions over segments of hours, UTC days and raw events (the sub-hour edges): the
   * bits set in the OR of their bitmaps, with the edges' visitors and sessions looked up by ordinal.
   */
  async uniques(tenantId: number, segments: readonly TimeSegment[]): Promise<Omit<EventTotals, 'totalEvents'>> {
    const params = new Params();
    const tenant = params.add(tenantId);
    const parts = segments.map((segment) => {
      const from = params.add(segment.from);
      const to = params.add(segment.to);
      if (segment.source === 'hour' || segment.source === 'day') {
        return `SELECT kind, chunk, bits FROM unique_bitmaps
                 WHERE tenant_id = ${tenant} AND ${EVERY_UNIQUE_KIND} AND unit = '${segment.source}' AND bucket >= ${from} AND bucket < ${to}`;
      }
      if (segment.source !== 'raw') throw new Error(`unique counts have no ${segment.source} bitmaps`);
      return `SELECT o.kind, ${ordinalChunk('o.ordinal')} AS chunk, ${ordinalBit('o.ordinal')} AS bits
                FROM (SELECT DISTINCT k.kind, k.hash FROM events, ${UNIQUE_KEYS_JOIN}
                       WHERE tenant_id = ${tenant} AND ts >= ${from} AND ts < ${to} AND k.hash IS NOT NULL) e
                JOIN unique_ordinals o ON o.tenant_id = ${tenant} AND o.kind = e.kind AND o.hash = e.hash`;
    });
    if (parts.length === 0) return { uniqueUsers: 0, sessions: 0 };
    const { rows } = await this.pool.query<{ kind: string; count: string }>(
      `SELECT kind, sum(bit_count(bits)) AS count
         FROM (SELECT kind, chunk, bit_or(bits) AS bits FROM (${parts.join(' UNION ALL ')}) parts GROUP BY 1, 2) chunks
        GROUP BY kind`,
      params.values,
    );
    const count = (kind: string) => Number(rows.find((row) => row.kind === kind)?.count ?? 0);
    return { uniqueUsers: count('visitor'), sessions: count('session') };
  }

  /** Counts per bucket of `unit` in `timeZone`, every bucket of [from, to) present, empty ones as 0. */
  async timeseries(
    tenantId: number,
    segments: readonly TimeSegment[],
    range: { from: Date; to: Date; unit: string; timeZone: string; name?: string; filters?: readonly TFilter[] },
  ): Promise<Array<{ bucket: Date; count: number }>> {
    const params = new Params();
    const counts = countsUnion(params, tenantId, segments, range);
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

  /** Every time-zone name PostgreSQL knows (its list differs from the one in Intl). */
  async timeZoneNames(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>('SELECT name FROM pg_timezone_names');
    return rows.map((row) => row.name);
  }

  /** Counts per value of a dimension: the daily rollup for whole UTC days, raw events for the rest. */
  async dimensionCounts(
    tenantId: number,
    dimension: RollupDimension,
    from: Date,
    to: Date,
    days: { from: Date; to: Date } | null,
    limit: number,
    /** Raw rows only: with filters, `days` must be null. */
    filters: readonly TFilter[] = [],
  ): Promise<ValueCount[]> {
    if (days && filters.length > 0) throw new Error('the day rollup cannot apply filters');
    const dayFrom = days?.from ?? to;
    const dayTo = days?.to ?? to;
    const expression = DIMENSION_EXPRESSION[dimension];
    const params = new Params();
    const [tenant, name, start, dayStart, dayEnd, end, rowLimit] = [tenantId, dimension, from, dayFrom, dayTo, to, limit].map((value) => params.add(value));
    const { rows } = await this.pool.query<{ value: string; count: string }>(
      `SELECT value, sum(count) AS count FROM (
         SELECT value, count FROM rollup_dimension_day
          WHERE tenant_id = ${tenant} AND dimension = ${name} AND bucket >= ${dayStart} AND bucket < ${dayEnd}
         UNION ALL
         SELECT ${expression} AS value, 1 AS count FROM events
          WHERE tenant_id = ${tenant} AND ((ts >= ${start} AND ts < ${dayStart}) OR (ts >= ${dayEnd} AND ts < ${end}))${filterConditions(params, filters)}
       ) counts
       WHERE value IS NOT NULL
       GROUP BY value ORDER BY sum(count) DESC, value LIMIT ${rowLimit}`,
      params.values,
    );
    return rows.map((row) => ({ value: row.value, count: Number(row.count) }));
  }

  /**
   * Events with property `key` per value (as text): the `limit` most frequent, and how many events had the key at
   * all (so the caller can tell "other"). Rolled days come from the value rollups of the key.
   */
  async propertyValueCounts(
    tenantId: number,
    range: FilteredRange,
    key: string,
    limit: number,
    filters: readonly TFilter[] = [],
  ): Promise<{ rows: ValueCount[]; total: number }> {
    const params = new Params();
    const tenant = params.add(tenantId);
    const keyParam = params.add(key);
    const raw = rawRows(
      params,
      tenant,
      range.raw,
      `coalesce(properties ->> ${keyParam}, 'null') AS value, 1 AS count`,
      filters,
      ` AND properties ? ${keyParam}`,
    );
    const rolled =
      range.rolledDays.length === 0
        ? ''
        : `SELECT coalesce(value::jsonb #>> '{}', 'null') AS value, count FROM (${rolledRows(params, tenant, range, 'value_rollup_counts', filters)}) rolled UNION ALL `;
    const { rows } = await this.pool.query<{ value: string; count: string; total: string }>(
      `SELECT value, sum(count) AS count, sum(sum(count)) OVER () AS total FROM (${rolled}${raw}) counts
        GROUP BY 1 ORDER BY sum(count) DESC, 1 LIMIT ${params.add(limit)}`,
      params.values,
    );
    return { rows: rows.map((row) => ({ value: row.value, count: Number(row.count) })), total: Number(rows[0]?.total ?? 0) };
  }

  /** Property keys of the range's newest `sample` events, with how many of those events carry each. */
  async propertyKeys(tenantId: number, range: { from: Date; to: Date }, sample: number, limit: number): Promise<Array<{ key: string; count: number }>> {
    const { rows } = await this.pool.query<{ key: string; count: string }>(
      `SELECT key, count(*) AS count
         FROM (SELECT properties FROM events WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 AND ${HUMAN} ORDER BY ts DESC LIMIT $4) newest,
              jsonb_object_keys(newest.properties) AS key
        GROUP BY key ORDER BY count(*) DESC, key LIMIT $5`,
      [tenantId, range.from, range.to, sample, limit],
    );
    return rows.map((row) => ({ key: row.key, count: Number(row.count) }));
  }
}

/**
 * A UNION ALL of (ts, name, count) rows that together count every event of the segments exactly once; only
 * events of `name`, and, in raw segments, those meeting every filter (rollups cannot apply filters).
 */
function countsUnion(params: Params, tenantId: number, segments: readonly TimeSegment[], only: { name?: string; filters?: readonly TFilter[] }): string {
  const tenant = params.add(tenantId);
  const nameFilter = only.name === undefined ? '' : ` AND name = ${params.add(only.name)}`;
  const filters = only.filters ?? [];
  const parts = segments.map((segment) => {
    const from = params.add(segment.from);
    const to = params.add(segment.to);
    if (segment.source !== 'raw' && filters.length > 0) throw new Error(`the ${segment.source} rollup cannot apply filters`);
    return segment.source === 'raw'
      ? `SELECT ts, name, 1::bigint AS count FROM events WHERE tenant_id = ${tenant} AND ts >= ${from} AND ts < ${to} AND ${HUMAN}${nameFilter}${filterConditions(params, filters)}`
      : `SELECT bucket AS ts, name, count FROM ${ROLLUP_TABLE[segment.source]} WHERE tenant_id = ${tenant} AND bucket >= ${from} AND bucket < ${to}${nameFilter}`;
  });
  // An empty range still needs a well-formed (empty) relation.
  return parts.length > 0 ? parts.join(' UNION ALL ') : 'SELECT now() AS ts, NULL::text AS name, 0::bigint AS count WHERE false';
}

/** `columns` of the tenant's human events in the intervals that meet every filter (and `also`), or no rows. */
function rawRows(params: Params, tenant: string, intervals: readonly Interval[], columns: string, filters: readonly TFilter[], also = ''): string {
  // An empty range still needs a well-formed (empty) relation, and no parameters it does not use.
  if (intervals.length === 0) return `SELECT ${columns} FROM events WHERE false`;
  const conditions = `${filterConditions(params, filters)}${also}`;
  const parts = intervals.map(
    (interval) =>
      `SELECT ${columns} FROM events WHERE tenant_id = ${tenant} AND ts >= ${params.add(interval.from)} AND ts < ${params.add(interval.to)} AND ${HUMAN}${conditions}`,
  );
  return parts.join(' UNION ALL ');
}

/** The rows of a value rollup table for the range's rolled days whose value meets every filter. */
function rolledRows(
  params: Params,
  tenant: string,
  range: FilteredRange,
  table: 'value_rollup_counts' | 'value_rollup_bitmaps',
  filters: readonly TFilter[],
): string {
  if (range.dimension === null) throw new Error('rolled days need the dimension they were rolled up by');
  return `SELECT * FROM ${table}
           WHERE tenant_id = ${tenant} AND dimension = ${params.add(range.dimension)} AND day = ANY(${params.add(range.rolledDays)}::timestamptz[])${filterConditions(params, filters, VALUE_ROWS)}`;
}
