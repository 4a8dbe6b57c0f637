import type pg from 'pg';
import type { TEventMatch } from '@pulse/shared/event-match';
import type { TFilter } from '@pulse/shared/filters';
import { inTransaction } from '../infra/db/transaction.ts';
import type { TimeSegment } from './analytics-repository.ts';
import { filterConditions } from './event-filter-sql.ts';
import { matchCondition } from './event-match-sql.ts';
import { CHUNK_BITS, HUMAN, VISITOR_HASH, VISITOR_ID, ordinalBit, ordinalChunk } from './rollup-sql.ts';
import { Params } from './sql-params.ts';

/** Cohort sizes and triangle cells by period index (0 = the period of `from`); cells of no visitor are left out. */
export interface CohortCounts {
  sizes: Array<{ cohort: number; size: number }>;
  cells: Array<{ cohort: number; offset: number; returned: number }>;
}

/** A question for the raw events: `starts` are the periods' starts (from periodStarts), oldest first. */
export interface CohortEventQuery {
  from: Date;
  to: Date;
  starts: readonly Date[];
  cohortEvent?: TEventMatch;
  returnEvent?: TEventMatch;
  filters: readonly TFilter[];
}

/** One period of a bitmap question: the stretches of time it covers, each from hour or day bitmaps or raw events. */
export interface CohortPeriodSegments {
  period: number;
  segments: readonly TimeSegment[];
}

/** A visitor's return periods are the bits of a bigint: 63 of them (the service allows MAX_COHORTS, fewer). */
const MAX_PERIODS_IN_A_MASK = 63;

/**
 * Cohort retention, from raw events (any cohort or return event, any filters) or from the visitor bitmaps
 * (first seen on any event, returning on any event). Both count the same human events with a visitor (the
 * bitmaps know a visitor by the 64-bit hash of their id, as every unique count does).
 */
export class CohortRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** The start of every `period` (day, week from Monday, month) in `timeZone` that starts before `to`, from the one holding `from`. */
  async periodStarts(range: { from: Date; to: Date }, period: string, timeZone: string): Promise<Date[]> {
    const { rows } = await this.pool.query<{ start: Date }>(
      `SELECT start FROM (
         SELECT local AT TIME ZONE $4 AS start
           FROM generate_series(date_trunc($3, $1::timestamptz AT TIME ZONE $4), $2::timestamptz AT TIME ZONE $4, ('1 ' || $3)::interval) AS local
       ) periods
       WHERE start < $2 ORDER BY start`,
      [range.from, range.to, period, timeZone],
    );
    return rows.map((row) => row.start);
  }

  /**
   * One pass over the range's events, grouped by visitor: the period of their first cohort event, and the periods
   * with a return event as the bits of a bigint (MAX_PERIODS_IN_A_MASK at most). An event's period is found among
   * `starts` (width_bucket), so periods are exactly those of periodStarts (an event before the first start, where a
   * zone skipped that midnight, is in the first). Grouping by visitor alone, not by visitor and period, measured
   * twice as fast over 8 weeks of the benchmark dataset.
   */
  async fromEvents(tenantId: number, query: CohortEventQuery): Promise<CohortCounts> {
    if (query.starts.length > MAX_PERIODS_IN_A_MASK) throw new Error(`at most ${MAX_PERIODS_IN_A_MASK} periods fit in a bigint`);
    const params = new Params();
    const cohortCondition = query.cohortEvent ? matchCondition(params, query.cohortEvent) : 'TRUE';
    const returnCondition = query.returnEvent ? matchCondition(params, query.returnEvent) : 'TRUE';
    const either = query.cohortEvent && query.returnEvent ? ` AND (${cohortCondition} OR ${returnCondition})` : '';
    const starts = params.add(query.starts);
    const where =
      `tenant_id = ${params.add(tenantId)} AND ts >= ${params.add(query.from)} AND ts < ${params.add(query.to)} AND ${HUMAN}` +
      ` AND ${VISITOR_ID} IS NOT NULL${filterConditions(params, query.filters)}${either}`;
    const sql = `
      WITH visitors AS (
        SELECT min(p.period) FILTER (WHERE ${cohortCondition}) AS cohort,
               bit_or(1::bigint << p.period) FILTER (WHERE ${returnCondition}) AS returns
          FROM events, LATERAL (SELECT greatest(width_bucket(ts, ${starts}::timestamptz[]), 1) - 1 AS period) p
         WHERE ${where}
         GROUP BY ${VISITOR_ID}
      ),
      patterns AS (SELECT cohort, returns, count(*) AS visitors FROM visitors WHERE cohort IS NOT NULL GROUP BY 1, 2)
      SELECT cohort, NULL AS "offset", sum(visitors) AS count FROM patterns GROUP BY 1
      UNION ALL
      SELECT cohort, k, sum(visitors)
        FROM patterns, generate_series(0, ${params.add(query.starts.length - 1)} - cohort) AS k
       WHERE returns & (1::bigint << (cohort + k)) <> 0
       GROUP BY 1, 2`;
    // JIT compiles a scan per day partition and gains nothing back: on the benchmark dataset (10 M events) its
    // compilation took about half of an 8-week question (EXPLAIN ANALYZE shows it under "JIT").
    const { rows } = await inTransaction(this.pool, async (client) => {
      await client.query('SET LOCAL jit = off');
      return client.query<CountRow>(sql, params.values);
    });
    return countsOf(rows);
  }

  /**
   * The same triangle as bits: a period's visitors are the OR of its bitmaps (and of its raw edges' visitors,
   * by ordinal); a cohort is the visitors of its period seen in no earlier period; a cell is the bits a cohort
   * shares with a later period's visitors.
   */
  async fromBitmaps(tenantId: number, periods: readonly CohortPeriodSegments[]): Promise<CohortCounts> {
    const params = new Params();
    const tenant = params.add(tenantId);
    const rollups = periods.flatMap(({ period, segments }) => segments.filter((segment) => segment.source !== 'raw').map((segment) => ({ period, segment })));
    const edges = periods.flatMap(({ period, segments }) => segments.filter((segment) => segment.source === 'raw').map((segment) => ({ period, segment })));
    const parts = [
      `SELECT s.period, b.chunk, b.bits
         FROM unnest(${params.add(rollups.map((r) => r.period))}::int[], ${params.add(rollups.map((r) => r.segment.source))}::text[],
                     ${params.add(rollups.map((r) => r.segment.from))}::timestamptz[], ${params.add(rollups.map((r) => r.segment.to))}::timestamptz[])
              AS s(period, unit, seg_from, seg_to)
         JOIN unique_bitmaps b
           ON b.tenant_id = ${tenant} AND b.kind = 'visitor' AND b.unit = s.unit AND b.bucket >= s.seg_from AND b.bucket < s.seg_to`,
      // Each raw edge (under an hour at either end of the range) is its own part, so its partitions are pruned.
      ...edges.map(
        ({ period, segment }) =>
          `SELECT ${params.add(period)}::int AS period, ${ordinalChunk('o.ordinal')} AS chunk, ${ordinalBit('o.ordinal')} AS bits
             FROM (SELECT DISTINCT ${VISITOR_HASH} AS hash FROM events
                    WHERE tenant_id = ${tenant} AND ts >= ${params.add(segment.from)} AND ts < ${params.add(segment.to)} AND ${HUMAN}
                      AND ${VISITOR_ID} IS NOT NULL) e
             JOIN unique_ordinals o ON o.tenant_id = ${tenant} AND o.kind = 'visitor' AND o.hash = e.hash`,
      ),
    ];
    const { rows } = await this.pool.query<CountRow>(
      `WITH active AS (
         SELECT period, chunk, bit_or(bits) AS bits FROM (${parts.join(' UNION ALL ')}) parts GROUP BY 1, 2
       ),
       cohorts AS (
         SELECT period, chunk,
                bits & ~coalesce(bit_or(bits) OVER (PARTITION BY chunk ORDER BY period ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                                 repeat('0', ${CHUNK_BITS})::varbit) AS bits
           FROM active
       )
       SELECT period AS cohort, NULL AS "offset", sum(bit_count(bits)) AS count FROM cohorts GROUP BY 1
       UNION ALL
       SELECT c.period, a.period - c.period, sum(bit_count(c.bits & a.bits))
         FROM cohorts c JOIN active a ON a.chunk = c.chunk AND a.period >= c.period
        GROUP BY 1, 2`,
      params.values,
    );
    return countsOf(rows);
  }
}

interface CountRow {
  cohort: number;
  offset: number | null;
  count: string;
}

function countsOf(rows: readonly CountRow[]): CohortCounts {
  const counts: CohortCounts = { sizes: [], cells: [] };
  for (const row of rows) {
    if (row.offset === null) counts.sizes.push({ cohort: Number(row.cohort), size: Number(row.count) });
    else if (Number(row.count) > 0) counts.cells.push({ cohort: Number(row.cohort), offset: Number(row.offset), returned: Number(row.count) });
  }
  return counts;
}
