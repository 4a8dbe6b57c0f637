import pg from 'pg';
import { EventPartitions } from '@pulse/backend/infra/db/event-partitions';
import { migrate } from '@pulse/backend/infra/db/migrator';
import { messageKeyOf } from '@pulse/backend/repositories/message-key-sql';
import { RetentionRepository } from '@pulse/backend/repositories/retention-repository';
import { RollupRebuildRepository } from '@pulse/backend/repositories/rollup-rebuild-repository';
import { ValueRollupRepository } from '@pulse/backend/repositories/value-rollup-repository';
import { minuteRollupCutoff } from '@pulse/backend/services/time-segments';
import { ValueRollupBuilder } from '@pulse/backend/services/value-rollup-builder';

const DAY_MS = 86_400_000;
export const DATASET_DATABASE = 'pulse_bench_dataset';
export const DATASET_TENANTS = ['dataset-a', 'dataset-b'];

/** Bumped whenever the generated rows change: a dataset of another version is loaded again. */
const DATASET_VERSION = 'pulse dataset v2';

// One day of one tenant's events, generated inside PostgreSQL (no rows cross the wire). The mix follows the
// demo data: page views first, then clicks, session starts, carts, searches, sign-ups, purchases, errors.
// Visitors come and go: day d draws from 20,000 visitor numbers starting at d × 300, so cohorts differ in
// size and return. A visitor's plan is fixed by their number; 30% of events carry only the anonymous id;
// carts and purchases carry an amount.
const INSERT_DAY_SQL = `
INSERT INTO events (tenant_id, message_id, type, name, user_id, anonymous_id, session_id, path, referrer, referrer_source, device, browser, os,
                    country, utm_source, utm_medium, utm_campaign, properties, ts)
SELECT $1::int, 'gen-' || $1::int || '-' || $2::int || '-' || i,
       CASE WHEN r < 0.5 THEN 'page' ELSE 'track' END,
       event_name,
       CASE WHEN (hashint4(i + 17) & 1023) < 307 THEN NULL ELSE 'user-' || visitor END,
       'anon-' || visitor,
       'ses-' || $2::int || '-' || i / 8,
       (ARRAY['/', '/pricing', '/docs', '/docs/getting-started', '/blog/launch', '/signup', '/checkout', '/account',
              '/blog/changelog', '/integrations', '/about', '/careers'])[1 + (hashint4(i + 7) & 1023) % 12],
       (ARRAY[NULL, NULL, 'https://www.google.com/', 'https://news.ycombinator.com/', 'https://twitter.com/'])[1 + source],
       (ARRAY[NULL, NULL, 'Google', 'Hacker News', 'Twitter'])[1 + source],
       (ARRAY['desktop', 'desktop', 'desktop', 'mobile', 'mobile', 'tablet'])[1 + (hashint4(i + 5) & 1023) % 6],
       (ARRAY['Chrome', 'Chrome', 'Chrome', 'Safari', 'Safari', 'Firefox', 'Edge'])[1 + (hashint4(i + 11) & 1023) % 7],
       (ARRAY['Windows', 'Windows', 'macOS', 'iOS', 'Android', 'Linux'])[1 + (hashint4(i + 19) & 1023) % 6],
       (ARRAY['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'JP', 'CA'])[1 + (hashint4(i + 13) & 1023) % 8],
       (ARRAY[NULL, NULL, NULL, 'newsletter', 'google'])[1 + campaign],
       (ARRAY[NULL, NULL, NULL, 'email', 'cpc'])[1 + campaign],
       (ARRAY[NULL, NULL, NULL, 'launch', 'autumn'])[1 + campaign],
       jsonb_build_object('plan', (ARRAY['free', 'free', 'free', 'free', 'free', 'free', 'pro', 'pro', 'pro', 'enterprise'])[1 + visitor % 10])
         || CASE WHEN event_name IN ('add_to_cart', 'purchase') THEN jsonb_build_object('amount', 5 + (hashint4(i + 23) & 1023) % 200) ELSE '{}'::jsonb END,
       $3::timestamptz + (i::float8 / $4::int) * interval '1 day'
  FROM generate_series(0, $4::int - 1) AS i,
       LATERAL (SELECT ((hashint4(i + $2::int * 7919) & 65535) / 65536.0) AS r,
                       $2::int * 300 + (hashint4(i) & 32767) % 20000 AS visitor,
                       (hashint4(i + 3) & 1023) % 5 AS source,
                       (hashint4(i + 29) & 1023) % 5 AS campaign) AS roll,
       LATERAL (SELECT CASE WHEN r < 0.5 THEN 'page_view' WHEN r < 0.68 THEN 'button_click' WHEN r < 0.78 THEN 'session_start'
                            WHEN r < 0.85 THEN 'add_to_cart' WHEN r < 0.91 THEN 'search' WHEN r < 0.95 THEN 'signup'
                            WHEN r < 0.98 THEN 'purchase' ELSE 'error' END AS event_name) AS named`;

export interface DatasetProgress {
  (message: string): void;
}

/**
 * The benchmark dataset: `events` events over the last `days` days for two tenants, in its own database,
 * built once and reused. Secondary indexes are dropped during the load and rebuilt after (much faster than
 * maintaining them row by row); rollups are rebuilt set-based from the raw rows.
 */
export interface Dataset {
  url: string;
  tenantIds: number[];
  /** How long this call took to load it; null when it was already there. */
  loadSeconds: number | null;
  /** How long this call took to build value rollups (after the load); null when every day had them already. */
  valueRollupSeconds: number | null;
}

export async function ensureDataset(serverUrl: string, events: number, days: number, progress: DatasetProgress): Promise<Dataset> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATASET_DATABASE]);
  if (!exists.rowCount) await admin.query(`CREATE DATABASE "${DATASET_DATABASE}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${DATASET_DATABASE}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 + DATASET_TENANTS.length });
  try {
    await migrate(pool);
    const tenantIds = await ensureTenants(pool);
    const { rows } = await pool.query<{ count: string; version: string | null }>(
      "SELECT (SELECT count(*) FROM events) AS count, shobj_description(oid, 'pg_database') AS version FROM pg_database WHERE datname = current_database()",
    );
    const loaded = Number(rows[0]!.count) === events && rows[0]!.version === DATASET_VERSION;
    if (loaded) progress(`dataset: ${events.toLocaleString('en-US')} events already loaded in ${DATASET_DATABASE}`);
    const started = Date.now();
    if (!loaded) await load(pool, tenantIds, events, days, progress);
    const loadSeconds = loaded ? null : (Date.now() - started) / 1_000;
    // Also for a dataset loaded before value rollups existed: a no-op once every day is built.
    const valueRollupSeconds = await buildValueRollups(pool, tenantIds, progress);
    await trimMinuteRollups(pool, tenantIds, progress);
    return { url: url.toString(), tenantIds, loadSeconds, valueRollupSeconds };
  } finally {
    await pool.end();
  }
}

async function ensureTenants(pool: pg.Pool): Promise<number[]> {
  const ids: number[] = [];
  for (const slug of DATASET_TENANTS) {
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO tenants (slug, name, plan) VALUES ($1, $1, 'enterprise')
       ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id`,
      [slug],
    );
    ids.push(rows[0]!.id);
  }
  return ids;
}

async function load(pool: pg.Pool, tenantIds: number[], events: number, days: number, progress: DatasetProgress): Promise<void> {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1_000).toFixed(0)} s`;
  const firstDay = Math.floor(Date.now() / DAY_MS) * DAY_MS - days * DAY_MS;
  await pool.query(
    `TRUNCATE events, event_message_keys, rollup_minute, rollup_quarter_hour, rollup_hour, rollup_day, rollup_dimension_day, unique_bitmaps, unique_ordinals, unique_ordinal_counters,
              value_rollup_days, value_rollup_counts, value_rollup_bitmaps`,
  );
  await new EventPartitions(pool).ensureDays(new Date(firstDay), new Date());
  const { rows: indexes } = await pool.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
      WHERE tablename = 'events' AND indexname <> 'events_pkey'`,
  );
  for (const index of indexes) await pool.query(`DROP INDEX "${index.name}"`);
  try {
    const perDay = Math.floor(events / days / tenantIds.length);
    let loaded = 0;
    for (let day = 0; day < days; day += 1) {
      for (const tenantId of tenantIds) {
        const count = day === days - 1 && tenantId === tenantIds.at(-1) ? events - loaded : perDay;
        await pool.query(INSERT_DAY_SQL, [tenantId, day, new Date(firstDay + day * DAY_MS), count]);
        loaded += count;
      }
      if (day % 10 === 9 || day === days - 1) progress(`dataset: ${loaded.toLocaleString('en-US')} / ${events.toLocaleString('en-US')} events (${elapsed()})`);
    }
  } finally {
    // Even after a failed load the table keeps its indexes. pg_indexes shows a partitioned index as
    // "ON ONLY"; without ONLY it is built on every partition.
    for (const index of indexes) {
      await pool.query(index.definition.replace(' ON ONLY ', ' ON ').replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS'));
      progress(`dataset: index ${index.name} rebuilt (${elapsed()})`);
    }
  }
  // Independent set-based steps, one connection each, so PostgreSQL uses every core.
  await Promise.all([
    pool
      .query(`INSERT INTO event_message_keys (tenant_id, message_key) SELECT tenant_id, ${messageKeyOf('message_id')} FROM events ORDER BY 1, 2`)
      .then(() => progress(`dataset: message ids recorded (${elapsed()})`)),
    ...tenantIds.map((tenantId) =>
      new RollupRebuildRepository(pool).rebuildTenant(tenantId).then(() => progress(`dataset: rollups of tenant ${tenantId} built (${elapsed()})`)),
    ),
  ]);
  await pool.query('VACUUM ANALYZE');
  await pool.query(`COMMENT ON DATABASE "${DATASET_DATABASE}" IS '${DATASET_VERSION}'`);
  progress(`dataset: ${events.toLocaleString('en-US')} events over ${days} days loaded in ${elapsed()}`);
}

/**
 * Deletes the minute rollups past their window, as the service's hourly retention run does, and gives their
 * space back (a running service reuses it instead), so that sizes are those of a service in its steady state.
 */
async function trimMinuteRollups(pool: pg.Pool, tenantIds: number[], progress: DatasetProgress): Promise<void> {
  const retention = new RetentionRepository(pool);
  let deleted = 0;
  for (const tenantId of tenantIds) deleted += await retention.deleteMinuteRollupsBefore(tenantId, minuteRollupCutoff(new Date()));
  if (deleted === 0) return;
  await pool.query('VACUUM FULL rollup_minute');
  await pool.query('VACUUM ANALYZE rollup_minute');
  progress(`dataset: ${deleted.toLocaleString('en-US')} minute rollups past their window deleted`);
}

/**
 * Builds the value rollups of every day, as the running service does over time: one builder per tenant, side by
 * side. Reported apart from the load, which it follows.
 */
async function buildValueRollups(pool: pg.Pool, tenantIds: number[], progress: DatasetProgress): Promise<number | null> {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1_000).toFixed(0)} s`;
  const repository = new ValueRollupRepository(pool);
  const builtPerTenant = await Promise.all(
    tenantIds.map((tenantId) =>
      new ValueRollupBuilder(repository, { closedAfterMs: 0, rebuildAfterMs: 0, maxDaysPerRun: 30, tenantId }).runToEnd(
        (_day, outcome) => {
          if (outcome !== 'built') throw new Error(`a dataset day could not be built (${outcome}): is something else writing to ${DATASET_DATABASE}?`);
        },
        (count) => progress(`dataset: value rollups of ${count} days of tenant ${tenantId} built (${elapsed()})`),
      ),
    ),
  );
  const built = builtPerTenant.reduce((sum, count) => sum + count, 0);
  if (built === 0) return null;
  progress(`dataset: value rollups of every day built (${built} tenant-days, ${elapsed()})`);
  return (Date.now() - started) / 1_000;
}
