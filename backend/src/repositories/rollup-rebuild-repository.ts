import type pg from 'pg';
import { inTransaction } from '../infra/db/transaction.ts';
import { DIMENSION_VALUES_JOIN, HUMAN, QUARTER_HOUR_OF, UNIQUE_KEYS_JOIN, ordinalBit, ordinalChunk } from './rollup-sql.ts';

/**
 * Rebuilds every rollup of one tenant from its raw events, set-based. For bulk loads (the benchmark
 * dataset) and repairs; the ingest path keeps rollups current by itself. What is counted comes from
 * rollup-sql.ts, as in EventRepository's statement. Minutes are rebuilt for every retained event, as the
 * coarser rollups are summed from them; the retention job trims them to their window again.
 */
const REBUILD_STATEMENTS = [
  `DELETE FROM rollup_minute WHERE tenant_id = $1`,
  `INSERT INTO rollup_minute SELECT tenant_id, date_trunc('minute', ts, 'UTC'), name, count(*) FROM events WHERE tenant_id = $1 AND ${HUMAN} GROUP BY 1, 2, 3`,
  `DELETE FROM rollup_quarter_hour WHERE tenant_id = $1`,
  `INSERT INTO rollup_quarter_hour SELECT tenant_id, bucket, name, sum(count) FROM (SELECT tenant_id, ${QUARTER_HOUR_OF('bucket')} AS bucket, name, count FROM rollup_minute WHERE tenant_id = $1) m GROUP BY 1, 2, 3`,
  `DELETE FROM rollup_hour WHERE tenant_id = $1`,
  `INSERT INTO rollup_hour SELECT tenant_id, bucket, name, sum(count) FROM (SELECT tenant_id, date_trunc('hour', bucket, 'UTC') AS bucket, name, count FROM rollup_quarter_hour WHERE tenant_id = $1) q GROUP BY 1, 2, 3`,
  `DELETE FROM rollup_day WHERE tenant_id = $1`,
  `INSERT INTO rollup_day SELECT tenant_id, bucket, name, sum(count) FROM (SELECT tenant_id, date_trunc('day', bucket, 'UTC') AS bucket, name, count FROM rollup_hour WHERE tenant_id = $1) h GROUP BY 1, 2, 3`,
  `DELETE FROM rollup_dimension_day WHERE tenant_id = $1`,
  `INSERT INTO rollup_dimension_day
   SELECT tenant_id, d.dimension, date_trunc('day', ts, 'UTC'), d.value, count(*)
     FROM events,
          ${DIMENSION_VALUES_JOIN}
    WHERE tenant_id = $1 AND d.value IS NOT NULL
    GROUP BY 1, 2, 3, 4`,
  `DELETE FROM unique_bitmaps WHERE tenant_id = $1`,
  `DELETE FROM unique_ordinals WHERE tenant_id = $1`,
  `DELETE FROM unique_ordinal_counters WHERE tenant_id = $1`,
  `INSERT INTO unique_ordinals
   SELECT tenant_id, kind, hash, row_number() OVER (PARTITION BY kind ORDER BY min(ts), hash) - 1, min(ts)
     FROM events, ${UNIQUE_KEYS_JOIN}
    WHERE tenant_id = $1 AND hash IS NOT NULL
    GROUP BY 1, 2, 3`,
  `INSERT INTO unique_ordinal_counters SELECT tenant_id, kind, max(ordinal) + 1 FROM unique_ordinals WHERE tenant_id = $1 GROUP BY 1, 2`,
  `INSERT INTO unique_bitmaps
   SELECT e.tenant_id, o.kind, 'hour', e.hour, ${ordinalChunk('o.ordinal')}, bit_or(${ordinalBit('o.ordinal')})
     FROM (SELECT DISTINCT tenant_id, k.kind, date_trunc('hour', ts, 'UTC') AS hour, k.hash
             FROM events, ${UNIQUE_KEYS_JOIN} WHERE tenant_id = $1 AND k.hash IS NOT NULL) e
     JOIN unique_ordinals o ON o.tenant_id = e.tenant_id AND o.kind = e.kind AND o.hash = e.hash
    GROUP BY 1, 2, 3, 4, 5`,
  `INSERT INTO unique_bitmaps
   SELECT tenant_id, kind, 'day', date_trunc('day', bucket, 'UTC'), chunk, bit_or(bits)
     FROM unique_bitmaps WHERE tenant_id = $1 AND unit = 'hour' GROUP BY 1, 2, 3, 4, 5`,
  // Value rollups hold the old ordinals: forgotten, each day is built again from the new ones.
  `DELETE FROM value_rollup_counts WHERE tenant_id = $1`,
  `DELETE FROM value_rollup_bitmaps WHERE tenant_id = $1`,
  `DELETE FROM value_rollup_days WHERE tenant_id = $1`,
];

export class RollupRebuildRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Runs in one transaction, so readers see the old rollups or the new ones, never a mix. */
  async rebuildTenant(tenantId: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      for (const statement of REBUILD_STATEMENTS) await client.query(statement, [tenantId]);
    });
  }
}
