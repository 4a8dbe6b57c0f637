import type pg from 'pg';
import { inTransaction } from '../infra/db/transaction.ts';
import { DIMENSION_VALUES_JOIN, SESSION_HASH, VISITOR_HASH } from './rollup-sql.ts';

/**
 * Rebuilds every rollup of one tenant from its raw events, set-based. For bulk loads (the benchmark
 * dataset) and repairs; the ingest path keeps rollups current by itself. What is counted comes from
 * rollup-sql.ts, as in EventRepository's statement.
 */
const REBUILD_STATEMENTS = [
  `DELETE FROM rollup_minute WHERE tenant_id = $1`,
  `INSERT INTO rollup_minute SELECT tenant_id, date_trunc('minute', ts, 'UTC'), name, count(*) FROM events WHERE tenant_id = $1 GROUP BY 1, 2, 3`,
  `DELETE FROM rollup_hour WHERE tenant_id = $1`,
  `INSERT INTO rollup_hour SELECT tenant_id, bucket, name, sum(count) FROM (SELECT tenant_id, date_trunc('hour', bucket, 'UTC') AS bucket, name, count FROM rollup_minute WHERE tenant_id = $1) m GROUP BY 1, 2, 3`,
  `DELETE FROM rollup_day WHERE tenant_id = $1`,
  `INSERT INTO rollup_day SELECT tenant_id, bucket, name, sum(count) FROM (SELECT tenant_id, date_trunc('day', bucket, 'UTC') AS bucket, name, count FROM rollup_hour WHERE tenant_id = $1) h GROUP BY 1, 2, 3`,
  `DELETE FROM rollup_dimension_day WHERE tenant_id = $1`,
  `INSERT INTO rollup_dimension_day
   SELECT tenant_id, d.dimension, date_trunc('day', ts, 'UTC'), d.value, count(*)
     FROM events,
          ${DIMENSION_VALUES_JOIN}
    WHERE tenant_id = $1 AND d.value IS NOT NULL
    GROUP BY 1, 2, 3, 4`,
  `DELETE FROM daily_visitors WHERE tenant_id = $1`,
  `INSERT INTO daily_visitors
   SELECT DISTINCT tenant_id, date_trunc('day', ts, 'UTC'), ${VISITOR_HASH}
     FROM events WHERE tenant_id = $1 AND coalesce(user_id, anonymous_id) IS NOT NULL`,
  `DELETE FROM daily_sessions WHERE tenant_id = $1`,
  `INSERT INTO daily_sessions
   SELECT DISTINCT tenant_id, date_trunc('day', ts, 'UTC'), ${SESSION_HASH}
     FROM events WHERE tenant_id = $1 AND session_id IS NOT NULL`,
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
