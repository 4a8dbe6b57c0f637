import type pg from 'pg';
import { DIMENSION_VALUES_JOIN, SESSION_HASH, VISITOR_HASH } from './rollup-sql.ts';

/** An event ready to store: validated, normalised, with its tenant, message id and corrected timestamp. */
export interface EventRow {
  tenantId: number;
  messageId: string;
  type: string;
  name: string;
  userId: string | null;
  anonymousId: string | null;
  sessionId: string | null;
  path: string | null;
  referrer: string | null;
  device: string | null;
  browser: string | null;
  country: string | null;
  properties: Record<string, unknown>;
  ts: Date;
}

/** `${tenantId}:${messageId}` of a row that was new and is now stored. */
export type StoredEventKey = string;

export const storedEventKey = (tenantId: number, messageId: string): StoredEventKey => `${tenantId}:${messageId}`;

// One statement stores a whole flush, for any number of tenants: arrays in, unnest into rows; event_ids
// filters out message ids seen before (exactly-once effect for retries); the new rows go into the
// partitioned events table and every rollup in the same statement, so rollups can never disagree with raw
// rows (what they count is defined in rollup-sql.ts). Rollup rows are written in key order so that
// concurrent flushes lock them in the same order.
const INSERT_EVENTS_SQL = `
WITH input AS (
  SELECT * FROM unnest(
    $1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::jsonb[], $14::timestamptz[]
  ) AS input(tenant_id, message_id, type, name, user_id, anonymous_id, session_id,
             path, referrer, device, browser, country, properties, ts)
),
new_ids AS (
  INSERT INTO event_ids (tenant_id, message_id, ts)
  SELECT tenant_id, message_id, ts FROM input
  ON CONFLICT DO NOTHING
  RETURNING tenant_id, message_id
),
fresh AS (
  SELECT * FROM input WHERE (tenant_id, message_id) IN (SELECT tenant_id, message_id FROM new_ids)
),
inserted AS (
  INSERT INTO events (tenant_id, message_id, type, name, user_id, anonymous_id, session_id,
                      path, referrer, device, browser, country, properties, ts)
  SELECT tenant_id, message_id, type, name, user_id, anonymous_id, session_id,
         path, referrer, device, browser, country, properties, ts
    FROM fresh
  RETURNING tenant_id, message_id, type, name, user_id, anonymous_id, session_id,
            path, referrer, device, browser, country, ts
),
minute_counts AS (
  INSERT INTO rollup_minute AS r (tenant_id, bucket, name, count)
  SELECT tenant_id, date_trunc('minute', ts, 'UTC'), name, count(*) FROM inserted GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (tenant_id, bucket, name) DO UPDATE SET count = r.count + excluded.count
),
hour_counts AS (
  INSERT INTO rollup_hour AS r (tenant_id, bucket, name, count)
  SELECT tenant_id, date_trunc('hour', ts, 'UTC'), name, count(*) FROM inserted GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (tenant_id, bucket, name) DO UPDATE SET count = r.count + excluded.count
),
day_counts AS (
  INSERT INTO rollup_day AS r (tenant_id, bucket, name, count)
  SELECT tenant_id, date_trunc('day', ts, 'UTC'), name, count(*) FROM inserted GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (tenant_id, bucket, name) DO UPDATE SET count = r.count + excluded.count
),
dimension_counts AS (
  INSERT INTO rollup_dimension_day AS r (tenant_id, dimension, bucket, value, count)
  SELECT tenant_id, d.dimension, date_trunc('day', ts, 'UTC'), d.value, count(*)
    FROM inserted,
         ${DIMENSION_VALUES_JOIN}
   WHERE d.value IS NOT NULL
   GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (tenant_id, dimension, bucket, value) DO UPDATE SET count = r.count + excluded.count
),
visitors AS (
  INSERT INTO daily_visitors (tenant_id, bucket, visitor_hash)
  SELECT DISTINCT tenant_id, date_trunc('day', ts, 'UTC'), ${VISITOR_HASH}
    FROM inserted WHERE coalesce(user_id, anonymous_id) IS NOT NULL ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING
),
sessions AS (
  INSERT INTO daily_sessions (tenant_id, bucket, session_hash)
  SELECT DISTINCT tenant_id, date_trunc('day', ts, 'UTC'), ${SESSION_HASH}
    FROM inserted WHERE session_id IS NOT NULL ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING
)
SELECT tenant_id, message_id FROM inserted`;

/** Hot-path SQL for raw events (plain pg, not Prisma: one round trip per flush). */
export class EventRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Stores the rows whose message ids are new, with their rollups; returns the keys of those stored. */
  async insertMany(rowsWithRepeats: readonly EventRow[]): Promise<Set<StoredEventKey>> {
    const rows = firstOfEachKey(rowsWithRepeats);
    if (rows.length === 0) return new Set();
    // Fourteen column arrays: measured faster than one JSON document through jsonb_to_recordset.
    const result = await this.pool.query<{ tenant_id: number; message_id: string }>(INSERT_EVENTS_SQL, [
      rows.map((row) => row.tenantId),
      rows.map((row) => row.messageId),
      rows.map((row) => row.type),
      rows.map((row) => row.name),
      rows.map((row) => row.userId),
      rows.map((row) => row.anonymousId),
      rows.map((row) => row.sessionId),
      rows.map((row) => row.path),
      rows.map((row) => row.referrer),
      rows.map((row) => row.device),
      rows.map((row) => row.browser),
      rows.map((row) => row.country),
      rows.map((row) => JSON.stringify(row.properties)),
      rows.map((row) => row.ts.toISOString()),
    ]);
    return new Set(result.rows.map((row) => storedEventKey(row.tenant_id, row.message_id)));
  }
}

/** A message id repeated within one flush is stored from its first occurrence (the statement needs unique keys). */
function firstOfEachKey(rows: readonly EventRow[]): EventRow[] {
  const byKey = new Map<StoredEventKey, EventRow>();
  for (const row of rows) {
    const key = storedEventKey(row.tenantId, row.messageId);
    if (!byKey.has(key)) byKey.set(key, row);
  }
  return byKey.size === rows.length ? [...rows] : [...byKey.values()];
}
