import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventRepository, type EventRow } from '../../repositories/event-repository.ts';
import { RollupRebuildRepository } from '../../repositories/rollup-rebuild-repository.ts';
import { eventRow } from '../../test/event-row.ts';
import { migrateToReleaseBefore } from '../../test/earlier-release.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../test/scratch-database.ts';
import { rollupDisagreements } from '../../test/rollup-consistency.ts';
import { EventPartitions } from './event-partitions.ts';
import { migrate } from './migrator.ts';

// A database made by the migrations before the compact layout and filled with events (ids of every length,
// over several days, with their rollups) moves to the compact layout: no event lost or duplicated, and every
// message id stored before is still recognised when it is retried afterwards, on any day.

const COMPACT_LAYOUT = '20261207000000_compact_event_storage';
const DAY_MS = 86_400_000;
const OLD_EVENTS = 3_000;

let database: ScratchDatabase;
let tenantId: number;
let firstDay: Date;

beforeAll(async () => {
  database = await createScratchDatabase();
  await migrateToReleaseBefore(database.pool, COMPACT_LAYOUT);
  const { rows } = await database.pool.query<{ id: number }>("INSERT INTO tenants (slug, name) VALUES ('old-layout', 'Old layout') RETURNING id");
  tenantId = rows[0]!.id;
  firstDay = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 4 * DAY_MS);
  await new EventPartitions(database.pool).ensureDays(firstDay, new Date());
  // As the old write path stored them: the row, and its id in event_ids. Ids as senders make them: short, uuids,
  // Segment's long ones.
  await database.pool.query(
    `INSERT INTO events (tenant_id, message_id, type, name, anonymous_id, session_id, path, ts)
     SELECT $1, CASE i % 3 WHEN 0 THEN 'old-' || i WHEN 1 THEN md5(i::text)::uuid::text ELSE 'ajs-next-' || md5(i::text) || '-' || i END,
            'track', (ARRAY['page_view', 'signup', 'purchase'])[1 + i % 3], 'anon-' || i % 40, 'ses-' || i / 10, '/p' || i % 7,
            $2::timestamptz + (i::float8 / $3) * interval '4 days'
       FROM generate_series(0, $3 - 1) AS i`,
    [tenantId, firstDay, OLD_EVENTS],
  );
  await database.pool.query('INSERT INTO event_ids (tenant_id, message_id, ts) SELECT tenant_id, message_id, ts FROM events');

  const upgraded = await migrate(database.pool);
  expect(upgraded.applied).toContain(COMPACT_LAYOUT);
  // This move leaves rollups alone (later layouts add rollup tables this rebuild fills): built once upgraded.
  await new RollupRebuildRepository(database.pool).rebuildTenant(tenantId);
});

afterAll(async () => {
  await database?.drop();
});

function retryOf(messageId: string, ts: Date): EventRow {
  return eventRow(tenantId, messageId, { name: 'retried', anonymousId: 'anon-retry', ts });
}

describe('moving a database to the compact event layout', () => {
  it('keeps every event once and a key for each of their message ids', async () => {
    const { rows } = await database.pool.query<{ events: number; distinct_ids: number; keys: number; keyed: number }>(
      `SELECT (SELECT count(*)::int FROM events) AS events,
              (SELECT count(DISTINCT message_id)::int FROM events) AS distinct_ids,
              (SELECT count(*)::int FROM event_message_keys) AS keys,
              (SELECT count(*)::int FROM events e JOIN event_message_keys k
                  ON k.tenant_id = e.tenant_id AND k.message_key = md5(e.message_id)::uuid) AS keyed`,
    );
    expect(rows[0]).toEqual({ events: OLD_EVENTS, distinct_ids: OLD_EVENTS, keys: OLD_EVENTS, keyed: OLD_EVENTS });
    expect(await rollupDisagreements(database.pool, tenantId)).toEqual([]);
  });

  it('recognises a retry of a message stored before the move, whatever its timestamp, and stores new ones', async () => {
    const { rows: old } = await database.pool.query<{ message_id: string }>('SELECT message_id FROM events WHERE tenant_id = $1 ORDER BY ts LIMIT 300', [
      tenantId,
    ]);
    // Retried two days later (another day partition) and interleaved with messages never seen.
    const retries = old.map((row) => retryOf(row.message_id, new Date(firstDay.getTime() + 2 * DAY_MS + 1_000)));
    const fresh = Array.from({ length: 100 }, (_, i) => retryOf(`after-move-${i}`, new Date(firstDay.getTime() + 3 * DAY_MS + i)));
    const stored = await new EventRepository(database.pool).insertMany([...retries, ...fresh]);
    expect([...stored].sort()).toEqual(fresh.map((row) => `${tenantId}:${row.messageId}`).sort());

    const { rows } = await database.pool.query<{ events: number; distinct_ids: number }>(
      'SELECT count(*)::int AS events, count(DISTINCT message_id)::int AS distinct_ids FROM events WHERE tenant_id = $1',
      [tenantId],
    );
    expect(rows[0]).toEqual({ events: OLD_EVENTS + fresh.length, distinct_ids: OLD_EVENTS + fresh.length });
    expect(await rollupDisagreements(database.pool, tenantId)).toEqual([]);
  });
});
