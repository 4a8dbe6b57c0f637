import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventRepository } from '../../repositories/event-repository.ts';
import { RetentionRepository } from '../../repositories/retention-repository.ts';
import { minuteRollupCutoff } from '../../services/time-segments.ts';
import { migrateToReleaseBefore } from '../../test/earlier-release.ts';
import { eventRow } from '../../test/event-row.ts';
import { rollupDisagreements } from '../../test/rollup-consistency.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../test/scratch-database.ts';
import { EventPartitions } from './event-partitions.ts';
import { migrate } from './migrator.ts';

// A database of the release that kept minute rollups for ever, filled with events over five days and their
// rollups as that release wrote them, moves to quarter-hour rollups: every minute counted so far is in its
// quarter-hour, and once the minutes past their window are deleted the rollups still agree with the raw rows.

const QUARTER_HOURS = '20261208000000_quarter_hour_rollups';
const DAY_MS = 86_400_000;
const OLD_EVENTS = 4_000;

let database: ScratchDatabase;
let tenantId: number;

const quarterHourRollupsAgainstRaw = `
SELECT (SELECT count(*)::int FROM rollup_quarter_hour WHERE tenant_id = $1) AS rows,
       (SELECT coalesce(sum(count), 0)::int FROM rollup_quarter_hour WHERE tenant_id = $1) AS counted,
       (SELECT count(*)::int FROM (
          (SELECT bucket, name, count FROM rollup_quarter_hour WHERE tenant_id = $1)
          EXCEPT
          (SELECT date_bin('15 minutes', ts, TIMESTAMPTZ '2000-01-01Z'), name, count(*) FROM events WHERE tenant_id = $1 AND NOT is_bot GROUP BY 1, 2)
        ) differing) AS differing`;

beforeAll(async () => {
  database = await createScratchDatabase();
  await migrateToReleaseBefore(database.pool, QUARTER_HOURS);
  const { rows } = await database.pool.query<{ id: number }>("INSERT INTO tenants (slug, name) VALUES ('minutes', 'Minutes') RETURNING id");
  tenantId = rows[0]!.id;
  const firstDay = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 4 * DAY_MS);
  await new EventPartitions(database.pool).ensureDays(firstDay, new Date());
  // That release's write path, in the few columns these rollups count: events, and their minutes, hours and days.
  await database.pool.query(
    `INSERT INTO events (tenant_id, message_id, type, name, anonymous_id, session_id, is_bot, ts)
     SELECT $1, 'old-' || i, 'track', (ARRAY['page_view', 'signup', 'purchase'])[1 + i % 3], 'anon-' || i % 40, 'ses-' || i / 10,
            i % 50 = 0, $2::timestamptz + (i::float8 / $3) * interval '4 days 20 hours'
       FROM generate_series(0, $3 - 1) AS i`,
    [tenantId, firstDay, OLD_EVENTS],
  );
  for (const unit of ['minute', 'hour', 'day']) {
    await database.pool.query(
      `INSERT INTO rollup_${unit} SELECT tenant_id, date_trunc('${unit}', ts, 'UTC'), name, count(*) FROM events WHERE tenant_id = $1 AND NOT is_bot GROUP BY 1, 2, 3`,
      [tenantId],
    );
  }
  const upgraded = await migrate(database.pool);
  expect(upgraded.applied).toContain(QUARTER_HOURS);
});

afterAll(async () => {
  await database?.drop();
});

describe('moving minute rollups to quarter-hours', () => {
  it('counts every event of the earlier release in its quarter-hour', async () => {
    const { rows } = await database.pool.query(quarterHourRollupsAgainstRaw, [tenantId]);
    expect(rows[0]).toEqual({ rows: expect.any(Number), counted: OLD_EVENTS - OLD_EVENTS / 50, differing: 0 });
    expect(rows[0].rows).toBeGreaterThan(400);
  });

  it('keeps counting new events, and agrees with the raw rows once old minutes are deleted', async () => {
    const fresh = Array.from({ length: 500 }, (_, i) => eventRow(tenantId, `new-${i}`, { name: 'signup', ts: new Date(Date.now() - i * 600_000) }));
    expect((await new EventRepository(database.pool).insertMany(fresh)).size).toBe(fresh.length);
    const deleted = await new RetentionRepository(database.pool).deleteMinuteRollupsBefore(tenantId, minuteRollupCutoff(new Date()), 500);
    expect(deleted).toBeGreaterThan(1_000);
    const { rows: minutes } = await database.pool.query<{ oldest: Date }>('SELECT min(bucket) AS oldest FROM rollup_minute WHERE tenant_id = $1', [tenantId]);
    expect(minutes[0]!.oldest.getTime()).toBeGreaterThanOrEqual(minuteRollupCutoff(new Date()).getTime());
    const { rows } = await database.pool.query(quarterHourRollupsAgainstRaw, [tenantId]);
    expect(rows[0]).toMatchObject({ counted: OLD_EVENTS - OLD_EVENTS / 50 + fresh.length, differing: 0 });
    // The time rollups (the dimensions and uniques were left empty above).
    const timeRollups = /^rollup_(minute|quarter_hour|hour|day):/;
    expect((await rollupDisagreements(database.pool, tenantId)).filter((problem) => timeRollups.test(problem))).toEqual([]);
  });
});
