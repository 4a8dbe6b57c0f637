import type pg from 'pg';
import { withClient } from '../infra/db/transaction.ts';
import { CHUNK_BITS, HUMAN, SESSION_HASH, VISITOR_HASH, ordinalBit } from './rollup-sql.ts';
import { COLUMN_VALUES, MAX_KEYS_PER_DAY, MAX_VALUES_PER_KEY, type ValueDimension } from './value-rollup-sql.ts';

const DAY_MS = 86_400_000;

/** A property value longer than this (as JSON text) keeps its key out of the day's rollups. */
const MAX_VALUE_BYTES = 1024;

export interface TenantDay {
  tenantId: number;
  day: Date;
}

export type BuildOutcome = 'built' | 'busy' | 'changed';

// One pass over a tenant's human events of one UTC day: each event gives one row per column and per rolled-up
// property key; counts by name and the bitmaps of visitor and session ordinals are grouped from those rows. The
// property keys rolled up are the day's most used ones whose values are few and short.
const BUILD_DAY_SQL = `
WITH day_rows AS MATERIALIZED (
  SELECT e.name, ${COLUMN_VALUES.map((column) => `${column.json} AS "value_of_${column.dimension}"`).join(', ')},
         e.properties, ${VISITOR_HASH} AS visitor_hash, ${SESSION_HASH} AS session_hash
    FROM events e
   WHERE e.tenant_id = $1 AND e.ts >= $2 AND e.ts < $3 AND ${HUMAN}
),
-- The day's few thousand ids looked up by key, rather than a join with all of the tenant's ordinals.
day_ordinals AS (
  SELECT o.kind, o.hash, o.ordinal FROM unique_ordinals o
   WHERE o.tenant_id = $1 AND o.kind = 'visitor' AND o.hash IN (SELECT visitor_hash FROM day_rows)
  UNION ALL
  SELECT o.kind, o.hash, o.ordinal FROM unique_ordinals o
   WHERE o.tenant_id = $1 AND o.kind = 'session' AND o.hash IN (SELECT session_hash FROM day_rows)
),
day_events AS MATERIALIZED (
  SELECT d.*, visitor.ordinal AS visitor, session.ordinal AS session
    FROM day_rows d
    LEFT JOIN day_ordinals visitor ON visitor.kind = 'visitor' AND visitor.hash = d.visitor_hash
    LEFT JOIN day_ordinals session ON session.kind = 'session' AND session.hash = d.session_hash
),
property_values AS MATERIALIZED (
  SELECT p.key, p.value::text AS value, d.name, d.visitor, d.session FROM day_events d, jsonb_each(d.properties) p
),
key_stats AS (
  SELECT key, count(*) AS events, count(DISTINCT value) AS distinct_values, max(octet_length(value)) AS longest
    FROM property_values GROUP BY key
),
rolled_keys AS (
  SELECT key FROM key_stats WHERE distinct_values <= $4 AND longest <= $5 ORDER BY events DESC, key LIMIT $6
),
dimension_values AS MATERIALIZED (
  SELECT c.dimension, c.value, d.name, d.visitor, d.session
    FROM day_events d,
         LATERAL (VALUES ${COLUMN_VALUES.map((column) => `('${column.dimension}', d."value_of_${column.dimension}")`).join(', ')}) AS c(dimension, value)
  UNION ALL
  SELECT 'properties.' || key, value, name, visitor, session FROM property_values WHERE key IN (SELECT key FROM rolled_keys)
),
counts AS (
  INSERT INTO value_rollup_counts (tenant_id, day, dimension, value, name, count)
  SELECT $1, $2, dimension, value, name, count(*) FROM dimension_values GROUP BY 3, 4, 5
),
bitmaps AS (
  INSERT INTO value_rollup_bitmaps (tenant_id, day, dimension, value, kind, chunk, bits)
  SELECT $1, $2, dimension, value, kind, ordinal / ${CHUNK_BITS}, bit_or(${ordinalBit('ordinal')})
    FROM (SELECT DISTINCT dimension, value, k.kind, k.ordinal
            FROM dimension_values, LATERAL (VALUES ('visitor', visitor), ('session', session)) AS k(kind, ordinal)
           WHERE k.ordinal IS NOT NULL) seen
   GROUP BY 3, 4, 5, 6
)
SELECT coalesce(array_agg(key ORDER BY key), '{}') AS rolled_keys, count(*) = (SELECT count(*) FROM key_stats) AS all_keys_rolled
  FROM rolled_keys`;

/** Value rollups: which days are built, building one day, and the days that need it. */
export class ValueRollupRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Days with events that ended by `closedBy` whose rollups are missing or stale, newest first; a day built after
   * `rebuiltAfter` waits (late events trickling into one day do not rebuild it over and over). All tenants' days,
   * or one tenant's.
   */
  async pendingDays(closedBy: Date, rebuiltAfter: Date, limit: number, tenantId: number | null = null): Promise<TenantDay[]> {
    const { rows } = await this.pool.query<{ tenant_id: number; day: Date }>(
      `SELECT d.tenant_id, d.bucket AS day
         FROM (SELECT DISTINCT tenant_id, bucket FROM rollup_day WHERE bucket <= $1 AND ($4::int IS NULL OR tenant_id = $4)) d
         LEFT JOIN value_rollup_days v ON v.tenant_id = d.tenant_id AND v.day = d.bucket
        WHERE v.tenant_id IS NULL OR (v.built_version IS DISTINCT FROM v.version AND (v.built_at IS NULL OR v.built_at <= $2))
        ORDER BY d.bucket DESC, d.tenant_id LIMIT $3`,
      [new Date(closedBy.getTime() - DAY_MS), rebuiltAfter, limit, tenantId],
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, day: row.day }));
  }

  /**
   * Builds one day's rollups from its raw rows, in a repeatable-read transaction: they are valid for the version
   * of the day read in that same snapshot. Another instance building the day gives 'busy'; events of the day
   * stored meanwhile give 'changed' (the day stays stale and is built again later).
   */
  async buildDay({ tenantId, day }: TenantDay): Promise<BuildOutcome> {
    const dayEnd = new Date(day.getTime() + DAY_MS);
    await this.pool.query('INSERT INTO value_rollup_days (tenant_id, day) VALUES ($1, $2) ON CONFLICT DO NOTHING', [tenantId, day]);
    return withClient(this.pool, async (client) => {
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        // The day's rows are grouped in memory several ways: the default 4 MB spills them to disk.
        await client.query("SET LOCAL work_mem = '64MB'");
        const locked = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', [tenantId, day.getTime() / DAY_MS]);
        if (!locked.rows[0]!.locked) {
          await client.query('ROLLBACK');
          return 'busy';
        }
        const state = await client.query<{ version: string }>('SELECT version FROM value_rollup_days WHERE tenant_id = $1 AND day = $2', [tenantId, day]);
        for (const table of ['value_rollup_counts', 'value_rollup_bitmaps']) {
          await client.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND day = $2`, [tenantId, day]);
        }
        const built = await client.query<{ rolled_keys: string[]; all_keys_rolled: boolean }>(BUILD_DAY_SQL, [
          tenantId,
          day,
          dayEnd,
          MAX_VALUES_PER_KEY,
          MAX_VALUE_BYTES,
          MAX_KEYS_PER_DAY,
        ]);
        await client.query(
          `UPDATE value_rollup_days SET built_version = $3, built_at = now(), rolled_keys = $4, all_keys_rolled = $5
            WHERE tenant_id = $1 AND day = $2`,
          [tenantId, day, state.rows[0]!.version, built.rows[0]!.rolled_keys, built.rows[0]!.all_keys_rolled],
        );
        await client.query('COMMIT');
        return 'built';
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        // A flush stored events of the day after this snapshot (and updated its row): built from stale rows.
        if ((error as { code?: string }).code === '40001') return 'changed';
        throw error;
      }
    });
  }

  /**
   * The whole UTC days in [from, to) whose rollups are valid and hold every row a filter on `dimension` needs: a
   * column always; a property key when it was rolled up that day, or when every key was (it had no events then).
   */
  async coveredDays(tenantId: number, range: { from: Date; to: Date }, dimension: ValueDimension): Promise<Date[]> {
    const key = dimension.startsWith('properties.') ? dimension.slice('properties.'.length) : null;
    const { rows } = await this.pool.query<{ day: Date }>(
      `SELECT day FROM value_rollup_days
        WHERE tenant_id = $1 AND day >= $2 AND day < $3 AND built_version = version
          AND ($4::text IS NULL OR $4::text = ANY(rolled_keys) OR all_keys_rolled)
        ORDER BY day`,
      [tenantId, range.from, range.to, key],
    );
    return rows.map((row) => row.day);
  }
}
