import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_COUNT_CAP } from '@pulse/shared/events';
import { EventPartitions } from '../infra/db/event-partitions.ts';
import { EventRepository, type EventRow } from '../repositories/event-repository.ts';
import { RetentionRepository } from '../repositories/retention-repository.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, type TestTenant } from '../test/test-tenant.ts';
import { generateDemoEvents } from './demo-events.ts';
import { minuteRollupCutoff } from './time-segments.ts';

// Every answer built from rollups (plus raw edges) must equal the same question asked of the raw rows.
const DAY_MS = 86_400_000;
const NOW = new Date();
let runtime: Runtime;
let tenant: TestTenant;
let prunedMinuteRollups = 0;

beforeAll(async () => {
  runtime = await startTestRuntime();
  tenant = await createTestTenant(runtime, 'queries');
  await new EventPartitions(runtime.pool).ensureDays(new Date(NOW.getTime() - 12 * DAY_MS), NOW);
  const rows: EventRow[] = generateDemoEvents({ tenantId: tenant.id, tenantSlug: tenant.slug, users: 40, events: 6_000, days: 10, now: NOW, seed: 11 });
  for (let start = 0; start < rows.length; start += 1_000) await new EventRepository(runtime.pool).insertMany(rows.slice(start, start + 1_000));
  // As the hourly retention run does: minutes past their window are gone, and older edges come from raw rows.
  prunedMinuteRollups = await new RetentionRepository(runtime.pool).deleteMinuteRollupsBefore(tenant.id, minuteRollupCutoff(NOW));
});

afterAll(async () => {
  await runtime?.close();
});

/** Ranges with ragged edges (seconds, minutes, hours off the boundaries), short and long. */
const ranges = [
  [9.73, 0.01],
  [7.5, 2.25],
  [3.0001, 2.9],
  [10, 0],
  [1.2, 0.7],
  [0.05, 0.001],
].map(([startDaysAgo, endDaysAgo]) => ({
  from: new Date(NOW.getTime() - startDaysAgo! * DAY_MS - 7_123).toISOString(),
  to: new Date(NOW.getTime() - endDaysAgo! * DAY_MS + 1_000).toISOString(),
}));

async function raw<T>(sql: string, params: unknown[]): Promise<T[]> {
  return (await runtime.pool.query(sql, [tenant.id, ...params])).rows as T[];
}

describe.each(ranges)('range $from → $to', (range) => {
  it('summary equals the raw rows, for the range and the period before it', async () => {
    const summary = await runtime.services.analytics.summary(tenant.id, range);
    const totals = async (from: string, to: string) => {
      const [row] = await raw<{ total: number; users: number; sessions: number }>(
        `SELECT count(*)::int AS total, count(DISTINCT coalesce(user_id, anonymous_id))::int AS users,
                count(DISTINCT session_id)::int AS sessions
           FROM events WHERE tenant_id = $1 AND ts >= $2 AND ts < $3`,
        [from, to],
      );
      return { totalEvents: row!.total, uniqueUsers: row!.users, sessions: row!.sessions };
    };
    expect({ totalEvents: summary.totalEvents, uniqueUsers: summary.uniqueUsers, sessions: summary.sessions }).toEqual(await totals(range.from, range.to));
    expect({ totalEvents: summary.previous.totalEvents, uniqueUsers: summary.previous.uniqueUsers, sessions: summary.previous.sessions }).toEqual(
      await totals(summary.previous.from, summary.previous.to),
    );
    const byName = await raw<{ name: string; count: number }>(
      `SELECT name, count(*)::int AS count FROM events WHERE tenant_id = $1 AND ts >= $2 AND ts < $3
        GROUP BY name ORDER BY count(*) DESC, name`,
      [range.from, range.to],
    );
    expect(summary.byType).toEqual(byName);
  });

  it.each([
    ['hour', 'UTC'],
    ['day', 'UTC'],
    ['day', 'America/New_York'],
    ['day', 'Asia/Kolkata'],
    ['hour', 'Asia/Kolkata'],
    ['hour', 'Asia/Kathmandu'],
    ['week', 'Europe/Berlin'],
    ['month', 'UTC'],
  ] as const)('timeseries by %s in %s equals the raw rows', async (granularity, timeZone) => {
    const series = await runtime.services.analytics.timeseries(tenant.id, { ...range, granularity, timeZone });
    const expected = await raw<{ bucket: Date; count: number }>(
      `SELECT date_trunc($4, ts, $5) AS bucket, count(*)::int AS count FROM events
        WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 GROUP BY 1 ORDER BY 1`,
      [range.from, range.to, granularity, timeZone],
    );
    const nonEmpty = series.points.filter((point) => point.count > 0);
    expect(nonEmpty).toEqual(expected.map((row) => ({ bucket: row.bucket.toISOString(), count: row.count })));
    // Dense: consecutive buckets, the first one holding `from`.
    expect(Date.parse(series.points[0]!.bucket)).toBeLessThanOrEqual(Date.parse(range.from));
  });

  it('top pages and breakdowns equal the raw rows', async () => {
    const pages = await runtime.services.analytics.topPages(tenant.id, { ...range, limit: 5 });
    const expectedPages = await raw<{ path: string; views: number }>(
      `SELECT path, count(*)::int AS views FROM events WHERE tenant_id = $1 AND ts >= $2 AND ts < $3
          AND type = 'page' AND path IS NOT NULL GROUP BY path ORDER BY count(*) DESC, path LIMIT 5`,
      [range.from, range.to],
    );
    expect(pages.pages).toEqual(expectedPages);

    for (const by of ['device', 'browser', 'country', 'referrer'] as const) {
      const breakdown = await runtime.services.analytics.breakdown(tenant.id, { ...range, by, limit: 10 });
      const expected = await raw<{ value: string; count: number }>(
        `SELECT ${by} AS value, count(*)::int AS count FROM events WHERE tenant_id = $1 AND ts >= $2 AND ts < $3
            AND ${by} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 10`,
        [range.from, range.to],
      );
      expect(breakdown.rows).toEqual(expected);
    }
  });
});

describe('minute rollups past their window', () => {
  it('were deleted, and a minute series across the window start still equals the raw rows', async () => {
    expect(prunedMinuteRollups).toBeGreaterThan(0);
    const start = minuteRollupCutoff(NOW).getTime();
    const range = { from: new Date(start - 90 * 60_000 + 17_000).toISOString(), to: new Date(start + 150 * 60_000 - 3_000).toISOString() };
    const series = await runtime.services.analytics.timeseries(tenant.id, { ...range, granularity: 'minute', timeZone: 'Asia/Kathmandu' });
    const expected = await raw<{ bucket: Date; count: number }>(
      `SELECT date_trunc('minute', ts) AS bucket, count(*)::int AS count FROM events
        WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 GROUP BY 1 ORDER BY 1`,
      [range.from, range.to],
    );
    expect(expected.length).toBeGreaterThan(10);
    expect(series.points.filter((point) => point.count > 0)).toEqual(expected.map((row) => ({ bucket: row.bucket.toISOString(), count: row.count })));
  });
});

describe('range edges', () => {
  it('counts an event at exactly `from`, not one at exactly `to`, and includes today', async () => {
    const edge = new Date(Math.floor(NOW.getTime() / 60_000) * 60_000 - 5 * 60_000);
    await runtime.services.eventIngest.ingest(tenant, {
      batch: [
        { type: 'track', event: 'edge_probe', userId: 'edge', messageId: 'edge-at-from', timestamp: edge.toISOString() },
        { type: 'track', event: 'edge_probe', userId: 'edge', messageId: 'edge-at-to', timestamp: new Date(edge.getTime() + 60_000).toISOString() },
      ],
    });
    const summary = await runtime.services.analytics.summary(tenant.id, {
      from: edge.toISOString(),
      to: new Date(edge.getTime() + 60_000).toISOString(),
    });
    expect(summary.byType.find((row) => row.name === 'edge_probe')?.count).toBe(1);

    // Just after midnight UTC the probes are yesterday's; the range then starts at them instead.
    const startOfToday = new Date(Math.min(Math.floor(NOW.getTime() / DAY_MS) * DAY_MS, edge.getTime()));
    const today = await runtime.services.analytics.summary(tenant.id, {
      from: startOfToday.toISOString(),
      to: new Date(NOW.getTime() + 60_000).toISOString(),
    });
    expect(today.byType.find((row) => row.name === 'edge_probe')?.count).toBe(2);
  });

  it('refuses a series with too many points, saying what to do', async () => {
    const error = await runtime.services.analytics
      .timeseries(tenant.id, { from: new Date(NOW.getTime() - 30 * DAY_MS).toISOString(), to: NOW.toISOString(), granularity: 'minute' })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/the limit is 10,000: choose a coarser granularity/);
  });
});

describe('event log', () => {
  it('pages through a filtered log newest first, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await runtime.services.eventQueries.list(tenant.id, { name: 'purchase', limit: 37, cursor });
      seen.push(...page.events.map((event) => event.messageId));
      for (const event of page.events) expect(event.name).toBe('purchase');
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const expected = await raw<{ message_id: string }>(
      `SELECT message_id FROM events WHERE tenant_id = $1 AND name = 'purchase' ORDER BY ts DESC, id DESC`,
      [],
    );
    expect(seen).toEqual(expected.map((row) => row.message_id));
  });

  it('filters by path text, case-insensitively, and refuses a forged cursor', async () => {
    const page = await runtime.services.eventQueries.list(tenant.id, { pathContains: 'DOCS', limit: 200 });
    expect(page.events.length).toBeGreaterThan(0);
    for (const event of page.events) expect(event.path).toMatch(/docs/);
    await expect(runtime.services.eventQueries.list(tenant.id, { cursor: 'bm9wZQ' })).rejects.toThrow(/cursor is not one this server handed out/);
  });

  it('says on the first page how many events match, up to the cap', async () => {
    const [purchases] = await raw<{ count: number }>(`SELECT count(*)::int AS count FROM events WHERE tenant_id = $1 AND name = 'purchase'`, []);
    const first = await runtime.services.eventQueries.list(tenant.id, { name: 'purchase', limit: 5 });
    expect(first.matching).toEqual({ count: purchases!.count, atLeast: false });
    const second = await runtime.services.eventQueries.list(tenant.id, { name: 'purchase', limit: 5, cursor: first.nextCursor! });
    expect(second.matching).toBeUndefined();
    // About 6,000 events: fewer than the cap, so exact.
    const [stored] = await raw<{ count: number }>('SELECT count(*)::int AS count FROM events WHERE tenant_id = $1', []);
    const all = await runtime.services.eventQueries.list(tenant.id, { limit: 1 });
    expect(all.matching).toEqual({ count: stored!.count, atLeast: false });
  });

  it('stops counting at the cap and says there are more', async () => {
    const busy = await createTestTenant(runtime, 'queries-many');
    const rows: EventRow[] = generateDemoEvents({
      tenantId: busy.id,
      tenantSlug: busy.slug,
      users: 20,
      events: EVENT_COUNT_CAP + 1,
      days: 10,
      now: NOW,
      seed: 12,
    });
    for (let start = 0; start < rows.length; start += 2_000) await new EventRepository(runtime.pool).insertMany(rows.slice(start, start + 2_000));
    const first = await runtime.services.eventQueries.list(busy.id, { limit: 10 });
    expect(first.matching).toEqual({ count: EVENT_COUNT_CAP, atLeast: true });
  });

  it('recent returns the newest events first', async () => {
    const recent = await runtime.services.eventQueries.recent(tenant.id, 5);
    expect(recent).toHaveLength(5);
    const times = recent.map((event) => Date.parse(event.ts));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });
});
