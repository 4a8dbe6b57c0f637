import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TFilter } from '@pulse/shared/filters';
import { ZSummaryRequest } from '@pulse/shared/analytics';
import { EventPartitions } from '../infra/db/event-partitions.ts';
import { EventRepository, type EventRow } from '../repositories/event-repository.ts';
import { ValueRollupRepository } from '../repositories/value-rollup-repository.ts';
import { AnalyticsRepository } from '../repositories/analytics-repository.ts';
import { AnalyticsService, type AnswerCache } from './analytics-service.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant } from '../test/test-tenant.ts';
import { meetsFilter } from '../test/filter-oracle.ts';
import { mulberry32 } from './demo-events.ts';

// The oracle: filtered summaries, breakdowns (by columns and by properties), top pages, series and the catalog against the same questions answered here, in
// TypeScript, over the rows generated.
const HOUR_MS = 3_600_000;
let runtime: Runtime;
let tenantId: number;
const rows: EventRow[] = [];
// Six days ago: inside every plan's retention, and clear of the days other test files give partitions of their own.
const start = new Date(Math.floor(Date.now() / (24 * HOUR_MS)) * 24 * HOUR_MS - 6 * 24 * HOUR_MS);

beforeAll(async () => {
  runtime = await startTestRuntime();
  tenantId = (await createTestTenant(runtime, 'filtered-summary')).id;
  const random = mulberry32(17);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  for (let i = 0; i < 600; i += 1) {
    const properties: Record<string, unknown> = {};
    if (random() < 0.7) properties.plan = pick(['free', 'pro', 'enterprise']);
    if (random() < 0.6) properties.amount = pick([0, 5, 10, 42, 99.5, 1000]);
    if (random() < 0.2) properties.amount = pick(['10', 'ten']);
    if (random() < 0.3) properties.beta = pick([true, false]);
    rows.push({
      tenantId,
      messageId: `filtered-${i}`,
      type: pick(['page', 'track']),
      name: pick(['page_view', 'signup', 'purchase']),
      userId: random() < 0.5 ? `u-${Math.floor(random() * 40)}` : null,
      anonymousId: `a-${Math.floor(random() * 80)}`,
      sessionId: random() < 0.9 ? `s-${Math.floor(random() * 100)}` : null,
      path: random() < 0.9 ? pick(['/', '/pricing', '/pricing/teams', '/docs/start', '/blog/pricing-news']) : null,
      referrer: null,
      device: pick(['desktop', 'mobile', null]),
      browser: pick(['Chrome', 'Safari', 'Firefox']),
      country: pick(['DE', 'US', 'FR', null]),
      os: pick(['Windows', 'macOS', 'iOS']),
      referrerSource: pick(['Google', 'Hacker News', null]),
      utmSource: pick(['newsletter', null]),
      utmMedium: pick(['email', null]),
      utmCampaign: pick(['launch', 'autumn', null]),
      isBot: random() < 0.05,
      properties,
      ts: new Date(start.getTime() + Math.floor(random() * 72 * HOUR_MS)),
    });
  }
  await new EventPartitions(runtime.pool).ensureDays(start, new Date(start.getTime() + 4 * 24 * HOUR_MS));
  await new EventRepository(runtime.pool).insertMany(rows);
});

afterAll(async () => {
  await runtime?.close();
});

function matchingRows(from: Date, to: Date, filters: TFilter[]): EventRow[] {
  return rows.filter((row) => !row.isBot && row.ts >= from && row.ts < to && filters.every((filter) => meetsFilter(row, filter)));
}

/** The `limit` most frequent values (nulls left out), most frequent first, ties by value. */
function topValues(values: Array<string | null>, limit: number) {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
    .slice(0, limit);
}

function expectedTotals(from: Date, to: Date, filters: TFilter[]) {
  const matching = matchingRows(from, to, filters);
  const byName = new Map<string, number>();
  for (const row of matching) byName.set(row.name, (byName.get(row.name) ?? 0) + 1);
  return {
    totalEvents: matching.length,
    uniqueUsers: new Set(matching.map((row) => row.userId ?? row.anonymousId)).size,
    sessions: new Set(matching.flatMap((row) => (row.sessionId ? [row.sessionId] : []))).size,
    byType: [...byName].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1)),
  };
}

const CASES: Array<[label: string, filters: TFilter[]]> = [
  ['one column', [{ field: 'country', operator: 'is', value: 'DE' }]],
  ['a column is not (rows without a country included)', [{ field: 'country', operator: 'isNot', value: 'DE' }]],
  ['path prefix', [{ field: 'path', operator: 'startsWith', value: '/pricing' }]],
  ['path contains', [{ field: 'path', operator: 'contains', value: 'pricing' }]],
  ['path does not contain', [{ field: 'path', operator: 'notContains', value: 'pricing' }]],
  ['path exact', [{ field: 'path', operator: 'is', value: '/pricing' }]],
  ['a property equals', [{ field: 'property', key: 'plan', operator: 'is', value: 'pro' }]],
  ['a property is not', [{ field: 'property', key: 'plan', operator: 'isNot', value: 'pro' }]],
  ['a property is set', [{ field: 'property', key: 'beta', operator: 'isSet' }]],
  ['a property is not set', [{ field: 'property', key: 'plan', operator: 'isNotSet' }]],
  ['a number greater than (strings never match)', [{ field: 'property', key: 'amount', operator: 'gt', value: 9 }]],
  ['a number at most', [{ field: 'property', key: 'amount', operator: 'lte', value: 42 }]],
  ['a number as text', [{ field: 'property', key: 'amount', operator: 'is', value: '10' }]],
  ['a boolean as text', [{ field: 'property', key: 'beta', operator: 'is', value: 'true' }]],
  [
    'several, ANDed',
    [
      { field: 'name', operator: 'is', value: 'purchase' },
      { field: 'browser', operator: 'isNot', value: 'Safari' },
      { field: 'utmCampaign', operator: 'is', value: 'launch' },
      { field: 'property', key: 'amount', operator: 'gte', value: 10 },
    ],
  ],
  ['nothing matches', [{ field: 'os', operator: 'is', value: 'Plan 9' }]],
];

const PROPERTY_BREAKDOWNS: Array<[string, TFilter[]]> = [
  ['plan', []],
  ['amount', []],
  ['beta', [{ field: 'country', operator: 'is', value: 'DE' }]],
  ['amount', [{ field: 'path', operator: 'startsWith', value: '/pricing' }]],
  ['plan', [{ field: 'property', key: 'plan', operator: 'startsWith', value: 'pro' }]],
];

async function expectSummaryAgrees(from: Date, to: Date, filters: TFilter[], analytics = runtime.services.analytics): Promise<void> {
  const request = ZSummaryRequest.parse({ from: from.toISOString(), to: to.toISOString(), filters });
  const answer = await analytics.summary(tenantId, request);
  expect({ totalEvents: answer.totalEvents, uniqueUsers: answer.uniqueUsers, sessions: answer.sessions, byType: answer.byType }).toEqual(
    expectedTotals(from, to, filters),
  );
  const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const { byType: _previousByType, ...previousTotals } = expectedTotals(previousFrom, from, filters);
  expect(answer.previous).toMatchObject(previousTotals);
}

async function expectPropertyBreakdownAgrees(from: Date, to: Date, key: string, filters: TFilter[], analytics = runtime.services.analytics): Promise<void> {
  const withKey = matchingRows(from, to, filters).filter((row) => Object.hasOwn(row.properties, key));
  const top = topValues(
    withKey.map((row) => String(row.properties[key])),
    3,
  );
  const answer = await analytics.propertyBreakdown(tenantId, { from: from.toISOString(), to: to.toISOString(), key, limit: 3, filters });
  expect(answer).toMatchObject({ key, rows: top, other: withKey.length - top.reduce((sum, row) => sum + row.count, 0) });
}

describe('a filtered summary', () => {
  // Ragged: starts and ends mid-hour, and its previous period starts before the first event.
  const from = new Date(start.getTime() + 25 * HOUR_MS + 17 * 60_000);
  const to = new Date(start.getTime() + 61 * HOUR_MS + 3 * 60_000);

  it.each(CASES)('%s: counts exactly the events that meet every condition, in both periods', async (_label, filters) => {
    await expectSummaryAgrees(from, to, filters);
  });

  it('without filters agrees with the rollups', async () => {
    const range = { from: from.toISOString(), to: to.toISOString() };
    const unfiltered = await runtime.services.analytics.summary(tenantId, range);
    expect(unfiltered).toMatchObject({ totalEvents: expectedTotals(from, to, []).totalEvents, uniqueUsers: expectedTotals(from, to, []).uniqueUsers });
  });

  it.each(CASES)('%s: breaks down, ranks pages and counts by type the events that meet every condition', async (_label, filters) => {
    const matching = matchingRows(from, to, filters);
    const { analytics } = runtime.services;
    const range = { from: from.toISOString(), to: to.toISOString(), filters };
    expect((await analytics.breakdown(tenantId, { ...range, by: 'country', limit: 3 })).rows).toEqual(
      topValues(
        matching.map((row) => row.country),
        3,
      ),
    );
    expect((await analytics.breakdown(tenantId, { ...range, by: 'type' })).rows).toEqual(
      topValues(
        matching.map((row) => row.name),
        10,
      ),
    );
    const views = (await analytics.topPages(tenantId, range)).pages.map(({ path, views }) => ({ value: path, count: views }));
    expect(views).toEqual(
      topValues(
        matching.map((row) => (row.type === 'page' ? row.path : null)),
        10,
      ),
    );
  });

  it.each(CASES)('%s: a series by hour in a half-hour zone counts them in their local hours', async (_label, filters) => {
    const request = { from: from.toISOString(), to: to.toISOString(), granularity: 'hour' as const, timeZone: 'Asia/Kolkata', filters };
    const answer = await runtime.services.analytics.timeseries(tenantId, request);
    // Kolkata is 5 h 30 min ahead of UTC all year: its hours start at half past the UTC hour.
    const offset = 5.5 * HOUR_MS;
    const expected = new Map<string, number>();
    for (const row of matchingRows(from, to, filters)) {
      const bucket = new Date(Math.floor((row.ts.getTime() + offset) / HOUR_MS) * HOUR_MS - offset).toISOString();
      expected.set(bucket, (expected.get(bucket) ?? 0) + 1);
    }
    expect(new Map(answer.points.filter((point) => point.count > 0).map((point) => [point.bucket, point.count]))).toEqual(expected);
    expect(answer.points.length).toBe(Math.ceil((to.getTime() - from.getTime()) / HOUR_MS) + 1);
  });

  it.each(PROPERTY_BREAKDOWNS)('breaks down by the property %s (filters %j): top values as text, and the rest as other', async (key, filters) => {
    await expectPropertyBreakdownAgrees(from, to, key, filters);
  });

  it("lists the range's event names and property keys for pickers", async () => {
    const answer = await runtime.services.analytics.catalog(tenantId, { from: from.toISOString(), to: to.toISOString() });
    const inRange = matchingRows(from, to, []);
    expect(answer.eventNames).toEqual(
      topValues(
        inRange.map((row) => row.name),
        100,
      ).map(({ value, count }) => ({ name: value, count })),
    );
    expect(answer.propertyKeys).toEqual(
      topValues(
        inRange.flatMap((row) => Object.keys(row.properties)),
        100,
      ).map(({ value, count }) => ({ key: value, count })),
    );
  });

  it('refuses a filter that cannot mean anything, saying why', () => {
    const refused = (filter: unknown) =>
      ZSummaryRequest.safeParse({ from: from.toISOString(), to: to.toISOString(), filters: [filter] }).error?.issues[0]?.message;
    expect(refused({ field: 'property', key: 'amount', operator: 'gt', value: 'ten' })).toMatch(/compares numbers/);
    expect(refused({ field: 'property', key: 'plan', operator: 'isSet', value: 'x' })).toMatch(/takes no value/);
    expect(refused({ field: 'country', operator: 'contains', value: 'D' })).toBeDefined();
    expect(refused({ field: 'user_id; DROP TABLE events', operator: 'is', value: 'x' })).toBeDefined();
  });
});

// Whole UTC days of a filtered question come from value rollups once they are built, and from raw rows again
// while a late event has made them stale: the answers must not change.
const DAY_MS = 24 * HOUR_MS;
const NO_CACHE: AnswerCache = { wrap: async (_tenantId, _key, { load }) => ({ value: await load(), source: 'load', stale: false, ageMs: 0 }) };
const testDays = [0, 1, 2].map((day) => new Date(start.getTime() + day * DAY_MS));

describe.each([
  ['before value rollups are built', async () => {}],
  [
    'from value rollups',
    async () => {
      const valueRollups = new ValueRollupRepository(runtime.pool);
      for (const day of testDays) expect(await valueRollups.buildDay({ tenantId, day })).toBe('built');
      expect(await valueRollups.coveredDays(tenantId, { from: testDays[0]!, to: new Date(start.getTime() + 3 * DAY_MS) }, 'country')).toEqual(testDays);
    },
  ],
  [
    'after a late event made a day stale',
    async () => {
      const late: EventRow = { ...rows[0]!, messageId: 'filtered-late', country: 'DE', properties: { plan: 'pro', amount: 42 }, isBot: false };
      late.ts = new Date(start.getTime() + 5 * HOUR_MS);
      await new EventRepository(runtime.pool).insertMany([late]);
      rows.push(late);
      const covered = await new ValueRollupRepository(runtime.pool).coveredDays(
        tenantId,
        { from: testDays[0]!, to: new Date(start.getTime() + 3 * DAY_MS) },
        'country',
      );
      expect(covered).toEqual(testDays.slice(1));
    },
  ],
] as Array<[string, () => Promise<void>]>)('a filtered question over whole days, %s', (_phase, prepare) => {
  // Ragged, from before the first event into the last day: the first two days are whole.
  const from = new Date(start.getTime() - 2 * HOUR_MS - 13 * 60_000);
  const to = new Date(start.getTime() + 70 * HOUR_MS + 41 * 60_000);
  // Uncached: each phase must be answered from the database as it is then.
  let uncached: AnalyticsService;
  beforeAll(async () => {
    await prepare();
    uncached = new AnalyticsService(new AnalyticsRepository(runtime.pool), new ValueRollupRepository(runtime.pool), NO_CACHE, runtime.breakers);
  });

  it.each(CASES)('%s: counts exactly the events that meet every condition, in both periods', async (_label, filters) => {
    await expectSummaryAgrees(from, to, filters, uncached);
  });

  it.each(PROPERTY_BREAKDOWNS)('breaks down by the property %s (filters %j)', async (key, filters) => {
    await expectPropertyBreakdownAgrees(from, to, key, filters, uncached);
  });
});
