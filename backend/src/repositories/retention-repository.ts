import type pg from 'pg';
import { inTransaction } from '../infra/db/transaction.ts';
import { messageKeyOf } from './message-key-sql.ts';
import { CHUNK_BITS, ordinalChunk } from './rollup-sql.ts';

/** Tables holding per-tenant rows by time, with the column that dates them. */
const TIME_KEYED_TABLES: ReadonlyArray<[table: string, column: string]> = [
  ['events', 'ts'],
  ['rollup_minute', 'bucket'],
  ['rollup_quarter_hour', 'bucket'],
  ['rollup_hour', 'bucket'],
  ['rollup_day', 'bucket'],
  ['rollup_dimension_day', 'bucket'],
  ['unique_bitmaps', 'bucket'],
  ['value_rollup_counts', 'day'],
  ['value_rollup_bitmaps', 'day'],
  ['value_rollup_days', 'day'],
  ['audit_entries', 'at'],
];

// The message keys of the events about to be deleted (keys carry no time: they are found from their events).
const DELETE_MESSAGE_KEYS_SQL = `
DELETE FROM event_message_keys k
 USING events e
 WHERE e.tenant_id = $1 AND e.ts < $2 AND k.tenant_id = e.tenant_id AND k.message_key = ${messageKeyOf('e.message_id')}`;

// Ordinals whose ids were seen on no retained day are forgotten; an id seen again later gets a new one.
// (An id coming back in the very instant its ordinal is forgotten could count twice in ranges spanning both.)
const FORGET_UNSEEN_ORDINALS_SQL = `
WITH retained AS (
  SELECT kind, chunk, bit_or(bits) AS bits FROM unique_bitmaps WHERE tenant_id = $1 AND unit = 'day' GROUP BY 1, 2
)
DELETE FROM unique_ordinals o
 WHERE o.tenant_id = $1 AND o.first_seen < $2
   AND NOT EXISTS (SELECT 1 FROM retained r
                    WHERE r.kind = o.kind AND r.chunk = ${ordinalChunk('o.ordinal')}
                      AND get_bit(r.bits, (o.ordinal % ${CHUNK_BITS})::int) = 1)`;

export class RetentionRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Deletes a tenant's events, ids and rollups dated before `cutoff` in one transaction, so rollups and raw
   * rows keep agreeing. Returns the number of raw events deleted.
   */
  async deleteTenantDataBefore(tenantId: number, cutoff: Date): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      let deletedEvents = 0;
      await client.query(DELETE_MESSAGE_KEYS_SQL, [tenantId, cutoff]);
      for (const [table, column] of TIME_KEYED_TABLES) {
        const result = await client.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND ${column} < $2`, [tenantId, cutoff]);
        if (table === 'events') deletedEvents = result.rowCount ?? 0;
      }
      await client.query(FORGET_UNSEEN_ORDINALS_SQL, [tenantId, cutoff]);
      return deletedEvents;
    });
  }

  /**
   * Deletes a tenant's minute rollups before `cutoff`, a bounded number at a time so that no statement holds
   * many locks or runs long; returns how many were deleted. Older ranges are counted from quarter-hours, and
   * their minute edges from raw events.
   */
  async deleteMinuteRollupsBefore(tenantId: number, cutoff: Date, batchSize = 20_000): Promise<number> {
    let deleted = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(
        `DELETE FROM rollup_minute
          WHERE ctid = ANY(ARRAY(SELECT ctid FROM rollup_minute WHERE tenant_id = $1 AND bucket < $2 LIMIT $3))`,
        [tenantId, cutoff, batchSize],
      );
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize) return deleted;
    }
  }
}
