import type pg from 'pg';
import { inTransaction } from '../infra/db/transaction.ts';
import { messageKeyOf } from './message-key-sql.ts';
import { DIMENSION_VALUES_JOIN, HUMAN, QUARTER_HOUR_OF, UNIQUE_KEYS_JOIN, ordinalBit, ordinalChunk } from './rollup-sql.ts';

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
  os: string | null;
  referrerSource: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  /** A crawler: stored, counted by no rollup but the bot breakdown. */
  isBot: boolean;
  properties: Record<string, unknown>;
  ts: Date;
}

/** The enrichment columns of a row nothing was learnt of (and of rows spooled before they existed). */
export const NOT_ENRICHED = { os: null, referrerSource: null, utmSource: null, utmMedium: null, utmCampaign: null, isBot: false } as const;

/** `${tenantId}:${messageId}` of a row that was new and is now stored. */
export type StoredEventKey = string;

export const storedEventKey = (tenantId: number, messageId: string): StoredEventKey => `${tenantId}:${messageId}`;

// One statement stores a whole flush, for any number of tenants: arrays in, unnest into rows; event_message_keys
// filters out message ids seen before (exactly-once effect for retries); the new rows go into the
// partitioned events table and every rollup in the same statement, so rollups can never disagree with raw
// rows (what they count is defined in rollup-sql.ts). Visitors and sessions seen for the first time get the
// next ordinals of their tenant, and each hour's and day's bitmaps get their bits; each day stored in gets a new
// version, which its value rollups (built later, per closed day) must match to be read. Ids and rollup rows are
// written in key order so that concurrent flushes lock them in the same order.
const INSERT_EVENTS_SQL = `
WITH input AS (
  SELECT tenant_id, message_id, ${messageKeyOf('message_id')} AS message_key, type, name, user_id, anonymous_id, session_id,
         path, referrer, device, browser, country, os, referrer_source, utm_source, utm_medium, utm_campaign, is_bot,
         $13::jsonb -> (position::int - 1) AS properties, ts
    FROM unnest(
      $1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
      $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $15::text[], $16::text[],
      $17::text[], $18::text[], $19::text[], $20::bool[], $14::timestamptz[]
    ) WITH ORDINALITY AS input(tenant_id, message_id, type, name, user_id, anonymous_id, session_id,
                               path, referrer, device, browser, country, os, referrer_source,
                               utm_source, utm_medium, utm_campaign, is_bot, ts, position)
),
new_messages AS (
  INSERT INTO event_message_keys (tenant_id, message_key)
  SELECT tenant_id, message_key FROM input ORDER BY 1, 2
  ON CONFLICT DO NOTHING
  RETURNING tenant_id, message_key
),
fresh AS (
  SELECT * FROM input WHERE (tenant_id, message_key) IN (SELECT tenant_id, message_key FROM new_messages)
),
inserted AS (
  INSERT INTO events (tenant_id, message_id, type, name, user_id, anonymous_id, session_id, path, referrer, device,
                      browser, country, os, referrer_source, utm_source, utm_medium, utm_campaign, is_bot, properties, ts)
  SELECT tenant_id, message_id, type, name, user_id, anonymous_id, session_id, path, referrer, device,
         browser, country, os, referrer_source, utm_source, utm_medium, utm_campaign, is_bot, properties, ts
    FROM fresh
  RETURNING tenant_id, message_id, type, name, user_id, anonymous_id, session_id, path, referrer, device,
            browser, country, os, referrer_source, utm_source, utm_medium, utm_campaign, is_bot, ts
),
minute_groups AS (
  -- Grouped once by everything the counting rollups need; each rollup sums these few rows.
  SELECT tenant_id, date_trunc('minute', ts, 'UTC') AS minute, name, type, path, referrer, device, browser, country,
         os, referrer_source, utm_source, utm_medium, utm_campaign, is_bot, count(*) AS count
    FROM inserted GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
),
minute_counts AS (
  INSERT INTO rollup_minute AS r (tenant_id, bucket, name, count)
  SELECT tenant_id, minute, name, sum(count) FROM minute_groups WHERE ${HUMAN} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (tenant_id, bucket, name) DO UPDATE SET count = r.count + excluded.count
),
quarter_counts AS (
  INSERT INTO rollup_quarter_hour AS r (tenant_id, bucket, name, count)
  SELECT tenant_id, ${QUARTER_HOUR_OF('minute')}, name, sum(count) FROM minute_groups WHERE ${HUMAN} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (tenant_id, bucket, name) DO UPDATE SET count = r.count + excluded.count
),
hour_counts AS (
  INSERT INTO rollup_hour AS r (tenant_id, bucket, name, count)
  SELECT tenant_id, date_trunc('hour', minute, 'UTC'), name, sum(count) FROM minute_groups WHERE ${HUMAN} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (tenant_id, bucket, name) DO UPDATE SET count = r.count + excluded.count
),
day_counts AS (
  INSERT INTO rollup_day AS r (tenant_id, bucket, name, count)
  SELECT tenant_id, date_trunc('day', minute, 'UTC'), name, sum(count) FROM minute_groups WHERE ${HUMAN} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (tenant_id, bucket, name) DO UPDATE SET count = r.count + excluded.count
),
dimension_counts AS (
  INSERT INTO rollup_dimension_day AS r (tenant_id, dimension, bucket, value, count)
  SELECT tenant_id, d.dimension, date_trunc('day', minute, 'UTC'), d.value, sum(count)
    FROM minute_groups,
         ${DIMENSION_VALUES_JOIN}
   WHERE d.value IS NOT NULL
   GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (tenant_id, dimension, bucket, value) DO UPDATE SET count = r.count + excluded.count
),
unique_keys AS (
  SELECT tenant_id, k.kind, date_trunc('hour', ts, 'UTC') AS hour, k.hash, min(ts) AS first_seen
    FROM inserted, ${UNIQUE_KEYS_JOIN}
   WHERE k.hash IS NOT NULL
   GROUP BY 1, 2, 3, 4
),
known_ordinals AS (
  SELECT keys.tenant_id, keys.kind, keys.hash, keys.first_seen, o.ordinal
    FROM (SELECT tenant_id, kind, hash, min(first_seen) AS first_seen FROM unique_keys GROUP BY 1, 2, 3) keys
    LEFT JOIN unique_ordinals o USING (tenant_id, kind, hash)
),
new_keys AS (
  SELECT tenant_id, kind, hash, first_seen,
         row_number() OVER (PARTITION BY tenant_id, kind ORDER BY hash) AS position,
         count(*) OVER (PARTITION BY tenant_id, kind) AS total
    FROM known_ordinals WHERE ordinal IS NULL
),
counters AS (
  INSERT INTO unique_ordinal_counters AS c (tenant_id, kind, next_ordinal)
  SELECT DISTINCT tenant_id, kind, total FROM new_keys ORDER BY 1, 2
  ON CONFLICT (tenant_id, kind) DO UPDATE SET next_ordinal = c.next_ordinal + excluded.next_ordinal
  RETURNING tenant_id, kind, next_ordinal
),
numbered AS (
  -- A concurrent flush that numbered the same key first wins; DO UPDATE returns its ordinal.
  INSERT INTO unique_ordinals AS o (tenant_id, kind, hash, ordinal, first_seen)
  SELECT n.tenant_id, n.kind, n.hash, c.next_ordinal - n.total + n.position - 1, n.first_seen
    FROM new_keys n JOIN counters c USING (tenant_id, kind)
   ORDER BY 1, 2, 3
  ON CONFLICT (tenant_id, kind, hash) DO UPDATE SET ordinal = o.ordinal
  RETURNING tenant_id, kind, hash, ordinal
),
hour_bits AS (
  SELECT u.tenant_id, u.kind, u.hour, ${ordinalChunk('o.ordinal')} AS chunk, bit_or(${ordinalBit('o.ordinal')}) AS bits
    FROM unique_keys u
    JOIN (SELECT tenant_id, kind, hash, ordinal FROM known_ordinals WHERE ordinal IS NOT NULL
          UNION ALL SELECT tenant_id, kind, hash, ordinal FROM numbered) o USING (tenant_id, kind, hash)
   GROUP BY 1, 2, 3, 4
),
quota_usage AS (
  -- Metered writes (insertMetered) count what they stored, in the usage rows they locked first; $21 is null otherwise.
  UPDATE event_quota_usage u SET used = u.used + stored.count
    FROM (SELECT tenant_id, count(*) AS count FROM inserted GROUP BY 1) stored
   WHERE u.tenant_id = stored.tenant_id AND u.period_start = $21::timestamptz
),
value_rollup_versions AS (
  -- A day's value rollups hold only the events stored before they were built: a new one makes them stale.
  INSERT INTO value_rollup_days AS v (tenant_id, day)
  SELECT DISTINCT tenant_id, date_trunc('day', ts, 'UTC') FROM inserted ORDER BY 1, 2
  ON CONFLICT (tenant_id, day) DO UPDATE SET version = v.version + 1
),
bitmaps AS (
  INSERT INTO unique_bitmaps AS b (tenant_id, kind, unit, bucket, chunk, bits)
  SELECT * FROM (
    SELECT tenant_id, kind, 'hour' AS unit, hour AS bucket, chunk, bits FROM hour_bits
    UNION ALL
    SELECT tenant_id, kind, 'day', date_trunc('day', hour, 'UTC'), chunk, bit_or(bits) FROM hour_bits GROUP BY 1, 2, 3, 4, 5
  ) all_bits
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (tenant_id, kind, unit, bucket, chunk) DO UPDATE SET bits = b.bits | excluded.bits
)
SELECT tenant_id, message_id FROM inserted`;

// Locks the usage rows of a metered write's tenants for its period, in tenant order (creating those missing), and
// reads what each has used and its plan. Concurrent writes of a tenant queue here, on any instance, until the
// one holding the lock commits: the count they then read includes its events.
const LOCK_USAGE_SQL = `
WITH locked AS (
  INSERT INTO event_quota_usage AS u (tenant_id, period_start)
  SELECT tenant_id, $2::timestamptz FROM unnest($1::int[]) AS tenant_id ORDER BY 1
  ON CONFLICT (tenant_id, period_start) DO UPDATE SET used = u.used
  RETURNING tenant_id, used
)
SELECT locked.tenant_id, locked.used::text AS used, tenants.plan::text AS plan
  FROM locked LEFT JOIN tenants ON tenants.id = locked.tenant_id`;

const STORED_IDS_SQL = `
SELECT input.tenant_id, input.message_id
  FROM unnest($1::int[], $2::text[]) AS input(tenant_id, message_id)
  JOIN event_message_keys k ON k.tenant_id = input.tenant_id AND k.message_key = ${messageKeyOf('input.message_id')}`;

/** How a metered write counts its rows against their tenants' quotas. */
export interface QuotaMetering {
  /** The quota period the rows are counted in: the one running when they are written. */
  periodStart: Date;
  /** Events a tenant of this plan may store in the period (null: no quota); null altogether: count, never refuse. */
  quotaOf: ((plan: string) => number | null) | null;
}

/** Why a metered write refused a row: its tenant had stored its quota for the period. */
export interface QuotaRefusal {
  plan: string;
  quota: number;
  periodStart: Date;
}

/** What a metered write did: the keys it stored (the rest of the admitted rows were stored before) and those it refused. */
export interface MeteredWrite {
  stored: Set<StoredEventKey>;
  refused: Map<StoredEventKey, QuotaRefusal>;
}

/** Hot-path SQL for raw events (plain pg, not Prisma: one round trip per flush, a few for a metered one). */
export class EventRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Stores the rows whose message ids are new, with their rollups; returns the keys of those stored. Counts no quota. */
  async insertMany(rowsWithRepeats: readonly EventRow[]): Promise<Set<StoredEventKey>> {
    const rows = firstOfEachKey(rowsWithRepeats);
    if (rows.length === 0) return new Set();
    return retryingLostPartitionRace(() => this.insertRows(this.pool, rows, null));
  }

  /**
   * As insertMany, and counts the new rows in their tenants' usage for the period, refusing those past a
   * tenant's quota (in the order given), all in one transaction under the tenants' usage-row locks: the count
   * and the rows stored cannot disagree, and no two writes of a tenant, from any instance, can both take the
   * last of its quota. Rows stored before (retries) cost nothing.
   */
  async insertMetered(rowsWithRepeats: readonly EventRow[], metering: QuotaMetering): Promise<MeteredWrite> {
    const rows = firstOfEachKey(rowsWithRepeats);
    if (rows.length === 0) return { stored: new Set(), refused: new Map() };
    return retryingLostPartitionRace(() =>
      inTransaction(this.pool, async (client) => {
        const usage = await this.lockUsage(client, rows, metering.periodStart);
        const { admitted, refused } = await this.admit(client, rows, usage, metering);
        const stored = admitted.length === 0 ? new Set<StoredEventKey>() : await this.insertRows(client, admitted, metering.periodStart);
        return { stored, refused };
      }),
    );
  }

  private async lockUsage(client: pg.PoolClient, rows: readonly EventRow[], periodStart: Date): Promise<Map<number, { used: number; plan: string | null }>> {
    const tenantIds = [...new Set(rows.map((row) => row.tenantId))];
    const result = await client.query<{ tenant_id: number; used: string; plan: string | null }>(LOCK_USAGE_SQL, [tenantIds, periodStart.toISOString()]);
    return new Map(result.rows.map((row) => [row.tenant_id, { used: Number(row.used), plan: row.plan }]));
  }

  /** The rows that fit their tenant's quota, in order; a tenant that might run out first learns which of its rows are new. */
  private async admit(
    client: pg.PoolClient,
    rows: readonly EventRow[],
    usage: Map<number, { used: number; plan: string | null }>,
    metering: QuotaMetering,
  ): Promise<{ admitted: EventRow[]; refused: Map<StoredEventKey, QuotaRefusal> }> {
    const rowsPerTenant = new Map<number, number>();
    for (const row of rows) rowsPerTenant.set(row.tenantId, (rowsPerTenant.get(row.tenantId) ?? 0) + 1);
    const tight = new Map<number, { remaining: number; refusal: QuotaRefusal }>();
    for (const [tenantId, { used, plan }] of usage) {
      const quota = plan === null ? null : (metering.quotaOf?.(plan) ?? null);
      if (quota === null || rowsPerTenant.get(tenantId)! <= quota - used) continue;
      tight.set(tenantId, { remaining: Math.max(0, quota - used), refusal: { plan: plan!, quota, periodStart: metering.periodStart } });
    }
    const refused = new Map<StoredEventKey, QuotaRefusal>();
    if (tight.size === 0) return { admitted: [...rows], refused };
    const stored = await this.storedKeys(
      client,
      rows.filter((row) => tight.has(row.tenantId)),
    );
    const admitted: EventRow[] = [];
    for (const row of rows) {
      const cap = tight.get(row.tenantId);
      const key = storedEventKey(row.tenantId, row.messageId);
      if (!cap) admitted.push(row);
      else if (stored.has(key)) continue;
      else if (cap.remaining > 0) {
        cap.remaining -= 1;
        admitted.push(row);
      } else refused.set(key, cap.refusal);
    }
    return { admitted, refused };
  }

  /** Which of these rows' keys are stored already (under the tenants' usage locks, no other write can add any). */
  private async storedKeys(client: pg.PoolClient, rows: readonly EventRow[]): Promise<Set<StoredEventKey>> {
    const result = await client.query<{ tenant_id: number; message_id: string }>(STORED_IDS_SQL, [
      rows.map((row) => row.tenantId),
      rows.map((row) => row.messageId),
    ]);
    return new Set(result.rows.map((row) => storedEventKey(row.tenant_id, row.message_id)));
  }

  /** One INSERT_EVENTS_SQL for rows with unique keys; with `countedIn`, their tenants' usage rows (locked) count the new ones. */
  private async insertRows(db: pg.Pool | pg.PoolClient, rows: readonly EventRow[], countedIn: Date | null): Promise<Set<StoredEventKey>> {
    // Column arrays, but the properties as one JSON array: quoting each JSON text as an element of a text
    // array was the largest cost of sending a flush. (Both measured faster than jsonb_to_recordset.)
    const parameters = [
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
      JSON.stringify(rows.map((row) => row.properties)),
      rows.map((row) => row.ts.toISOString()),
      rows.map((row) => row.os),
      rows.map((row) => row.referrerSource),
      rows.map((row) => row.utmSource),
      rows.map((row) => row.utmMedium),
      rows.map((row) => row.utmCampaign),
      rows.map((row) => row.isBot),
      countedIn?.toISOString() ?? null,
    ];
    const result = await db.query<{ tenant_id: number; message_id: string }>(INSERT_EVENTS_SQL, parameters);
    return new Set(result.rows.map((row) => storedEventKey(row.tenant_id, row.message_id)));
  }

  /** Rows stored for the tenant whose message id starts with `prefix`, and the distinct ids among them. */
  async countStored(tenantId: number, prefix: string): Promise<{ rows: number; distinctIds: number }> {
    const result = await this.pool.query<{ rows: number; distinct_ids: number }>(
      'SELECT count(*)::int AS rows, count(DISTINCT message_id)::int AS distinct_ids FROM events WHERE tenant_id = $1 AND starts_with(message_id, $2)',
      [tenantId, prefix],
    );
    return { rows: result.rows[0]!.rows, distinctIds: result.rows[0]!.distinct_ids };
  }
}

const MAX_PARTITION_RACE_ATTEMPTS = 3;

/**
 * A row routed to events_default while another instance attached that day's partition fails the default's new
 * constraint. The statement (or transaction) rolled back whole; routed again, the row finds its partition.
 */
async function retryingLostPartitionRace<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= MAX_PARTITION_RACE_ATTEMPTS || !lostPartitionRace(error)) throw error;
    }
  }
}

function lostPartitionRace(error: unknown): boolean {
  const { code, routine } = error as { code?: string; routine?: string };
  return code === '23514' && routine === 'ExecPartitionCheckEmitError';
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
