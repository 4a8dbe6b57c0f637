import type pg from 'pg';
import { inTransaction } from '../infra/db/transaction.ts';

/** Tables holding per-tenant rows by time, with the column that dates them. */
const TIME_KEYED_TABLES: ReadonlyArray<[table: string, column: string]> = [
  ['events', 'ts'],
  ['event_ids', 'ts'],
  ['rollup_minute', 'bucket'],
  ['rollup_hour', 'bucket'],
  ['rollup_day', 'bucket'],
  ['rollup_dimension_day', 'bucket'],
  ['daily_visitors', 'bucket'],
  ['daily_sessions', 'bucket'],
];

export class RetentionRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Deletes a tenant's events, ids and rollups dated before `cutoff` in one transaction, so rollups and raw
   * rows keep agreeing. Returns the number of raw events deleted.
   */
  async deleteTenantDataBefore(tenantId: number, cutoff: Date): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      let deletedEvents = 0;
      for (const [table, column] of TIME_KEYED_TABLES) {
        const result = await client.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND ${column} < $2`, [tenantId, cutoff]);
        if (table === 'events') deletedEvents = result.rowCount ?? 0;
      }
      return deletedEvents;
    });
  }
}
