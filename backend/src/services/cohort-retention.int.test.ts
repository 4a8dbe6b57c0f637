import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TRetentionRequest, TRetentionResponse } from '@pulse/shared/cohorts';
import type { TEventMatchInput } from '@pulse/shared/event-match';
import type { TFilter } from '@pulse/shared/filters';
import { EventPartitions } from '../infra/db/event-partitions.ts';
import { CohortRepository } from '../repositories/cohort-repository.ts';
import { EventRepository, type EventRow } from '../repositories/event-repository.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant } from '../test/test-tenant.ts';
import { meetsFilter, meetsMatch } from '../test/filter-oracle.ts';
import { mulberry32 } from './demo-events.ts';

// The oracle: retention triangles recomputed here, in TypeScript, from the rows generated, with periods found by
// Intl's local calendar dates; every cell compared exactly. Visitors arrive over 25 days and come back now and
// then; bots (under real visitors' ids) and events without ids are mixed in and must count nowhere.
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
// 45 to 20 days ago: inside the pro plan's retention, and clear of the days other test files fill.
const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 45 * DAY_MS);
const end = new Date(start.getTime() + 25 * DAY_MS);
/** Starts and ends mid-hour (and mid-minute), so the bitmap path needs its raw edges. */
const RAGGED = {
  from: new Date(start.getTime() + DAY_MS + 3 * HOUR_MS + 17 * MINUTE_MS + 23_456),
  to: new Date(end.getTime() - DAY_MS - 5 * HOUR_MS - 41 * MINUTE_MS),
};
const WHOLE_DAYS = { from: new Date(start.getTime() + 2 * DAY_MS), to: new Date(end.getTime() - DAY_MS) };

let runtime: Runtime;
let tenantId: number;
const rows: EventRow[] = [];

beforeAll(async () => {
  runtime = await startTestRuntime();
  tenantId = (await createTestTenant(runtime, 'cohorts')).id;
  const random = mulberry32(29);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let messages = 0;
  const event = (visitor: number | null, ts: Date, isBot = false): EventRow => {
    const page = random() < 0.6;
    return {
      tenantId,
      messageId: `cohort-${(messages += 1)}`,
      type: page ? 'page' : 'track',
      name: page ? 'page_view' : pick(['signup', 'purchase', 'search']),
      // Some visitors are known by their user id, the others by their anonymous id alone.
      userId: visitor !== null && visitor % 3 === 0 ? `u-${visitor}` : null,
      anonymousId: visitor === null ? null : `a-${visitor}`,
      sessionId: null,
      path: page ? pick(['/', '/pricing', '/pricing/teams', '/docs']) : null,
      referrer: null,
      device: null,
      browser: pick(['Chrome', 'Safari']),
      country: pick(['DE', 'US', null]),
      os: null,
      referrerSource: null,
      utmSource: null,
      utmMedium: null,
      utmCampaign: null,
      isBot,
      properties: random() < 0.7 ? { plan: pick(['free', 'pro']) } : {},
      ts,
    };
  };
  for (let visitor = 0; visitor < 160; visitor += 1) {
    const firstDay = Math.floor(random() * 25);
    const loyalty = random();
    for (let day = firstDay; day < 25; day += 1) {
      if (day !== firstDay && random() > loyalty * 0.5) continue;
      const count = 1 + Math.floor(random() * 3);
      for (let i = 0; i < count; i += 1) rows.push(event(visitor, new Date(start.getTime() + day * DAY_MS + Math.floor(random() * DAY_MS))));
    }
    // A crawler under this visitor's id before they arrive: no cohort may start from it.
    if (random() < 0.2) rows.push(event(visitor, new Date(start.getTime() + Math.floor(random() * firstDay * DAY_MS)), true));
  }
  for (let i = 0; i < 40; i += 1) rows.push(event(null, new Date(start.getTime() + Math.floor(random() * 25 * DAY_MS))));
  // On the edges: the first instants in (counted), the last instants out (not counted).
  for (const range of [RAGGED, WHOLE_DAYS]) {
    rows.push(
      event(1_000, range.from),
      event(1_001, new Date(range.from.getTime() - 1)),
      event(1_002, new Date(range.to.getTime() - 1)),
      event(1_003, range.to),
    );
  }
  await new EventPartitions(runtime.pool).ensureDays(start, end);
  await new EventRepository(runtime.pool).insertMany(rows);
  // The bitmap path reads what insertMany wrote with the rows.
  const { rows: bitmaps } = await runtime.pool.query('SELECT 1 FROM unique_bitmaps WHERE tenant_id = $1 AND kind = $2 LIMIT 1', [tenantId, 'visitor']);
  expect(bitmaps).toHaveLength(1);
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await runtime?.close();
});

type Period = 'day' | 'week' | 'month';

const formats = new Map<string, Intl.DateTimeFormat>();

/** Local calendar date and time of an instant in a zone. */
function localParts(instant: Date, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const numeric = 'numeric';
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: numeric,
      month: numeric,
      day: numeric,
      hour: numeric,
      minute: numeric,
      second: numeric,
    });
    formats.set(timeZone, format);
  }
  return Object.fromEntries(
    format
      .formatToParts(instant)
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  ) as never;
}

/** The period's first local day, as days since 1970-01-01 (weeks start on Monday). */
function periodDay(instant: Date, period: Period, timeZone: string): number {
  const { year, month, day } = localParts(instant, timeZone);
  if (period === 'month') return Date.UTC(year, month - 1, 1) / DAY_MS;
  const days = Date.UTC(year, month - 1, day) / DAY_MS;
  return period === 'day' ? days : days - ((days + 3) % 7);
}

function nextPeriodDay(first: number, period: Period): number {
  if (period === 'day') return first + 1;
  if (period === 'week') return first + 7;
  const date = new Date(first * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
}

/** The instant of local midnight starting a day in a zone: the wall-clock time less the offset in force then. */
function localMidnight(days: number, timeZone: string): Date {
  const wall = days * DAY_MS;
  const offsetAt = (instant: number) => {
    const parts = localParts(new Date(instant), timeZone);
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(instant / 1_000) * 1_000;
  };
  return new Date(wall - offsetAt(wall - offsetAt(wall)));
}

function matches(row: EventRow, match: TEventMatchInput | undefined): boolean {
  return !match || meetsMatch(row, match);
}

function expectedTriangle(request: TRetentionRequest): TRetentionResponse['periods'] {
  const period = request.period ?? 'week';
  const timeZone = request.timeZone ?? 'UTC';
  const from = new Date(request.from);
  const to = new Date(request.to);
  const firstDays: number[] = [];
  for (let day = periodDay(from, period, timeZone); localMidnight(day, timeZone) < to; day = nextPeriodDay(day, period)) firstDays.push(day);
  const counted = rows.filter(
    (row) =>
      !row.isBot &&
      (row.userId ?? row.anonymousId) !== null &&
      row.ts >= from &&
      row.ts < to &&
      (request.filters ?? []).every((filter) => meetsFilter(row, filter)),
  );
  const indexOf = (row: EventRow) => firstDays.indexOf(periodDay(row.ts, period, timeZone));
  const cohortOf = new Map<string, number>();
  const returnedIn = new Set<string>();
  for (const row of counted) {
    const visitor = (row.userId ?? row.anonymousId)!;
    if (matches(row, request.cohortEvent)) cohortOf.set(visitor, Math.min(cohortOf.get(visitor) ?? Infinity, indexOf(row)));
    if (matches(row, request.returnEvent)) returnedIn.add(`${visitor}@${indexOf(row)}`);
  }
  return firstDays.map((day, cohort) => {
    const members = [...cohortOf].filter(([, index]) => index === cohort).map(([visitor]) => visitor);
    const values = firstDays.slice(cohort).map((_, offset) => {
      const returned = members.filter((visitor) => returnedIn.has(`${visitor}@${cohort + offset}`)).length;
      return { returned, percent: members.length === 0 ? 0 : returned / members.length };
    });
    return { start: localMidnight(day, timeZone).toISOString(), size: members.length, values };
  });
}

/** The service's answer to `request`, and which path counted it. */
async function ask(request: TRetentionRequest): Promise<{ answer: TRetentionResponse; path: 'bitmaps' | 'events' | 'cache' }> {
  const bitmaps = vi.spyOn(CohortRepository.prototype, 'fromBitmaps');
  const events = vi.spyOn(CohortRepository.prototype, 'fromEvents');
  const answer = await runtime.services.cohorts.retention(tenantId, request);
  const path = bitmaps.mock.calls.length > 0 ? 'bitmaps' : events.mock.calls.length > 0 ? 'events' : 'cache';
  vi.restoreAllMocks();
  return { answer, path };
}

const range = (of: { from: Date; to: Date }) => ({ from: of.from.toISOString(), to: of.to.toISOString() });
/** A filter every event meets: the same question, asked of the raw events. */
const EVERYTHING: TFilter = { field: 'property', key: 'no-such-property', operator: 'isNotSet' };

describe('retention on any event, first seen in the range', () => {
  it.each<[string, Partial<TRetentionRequest> & { from: string; to: string }]>([
    ['UTC days, ragged range', { ...range(RAGGED), period: 'day' }],
    ['UTC weeks, ragged range', { ...range(RAGGED), period: 'week' }],
    ['UTC months, ragged range', { ...range(RAGGED), period: 'month' }],
    ['UTC days, whole days', { ...range(WHOLE_DAYS), period: 'day' }],
    ['Berlin days (a DST change when the dates allow)', { ...range(RAGGED), period: 'day', timeZone: 'Europe/Berlin' }],
    ['Berlin weeks', { ...range(RAGGED), period: 'week', timeZone: 'Europe/Berlin' }],
    ['New York days (a DST change when the dates allow)', { ...range(RAGGED), period: 'day', timeZone: 'America/New_York' }],
    ['New York months', { ...range(WHOLE_DAYS), period: 'month', timeZone: 'America/New_York' }],
  ])('%s: the bitmaps give every cell the raw events give, and both the oracle', async (_label, request) => {
    const expected = expectedTriangle(request);
    const fromBitmaps = await ask(request);
    expect(fromBitmaps.path).toBe('bitmaps');
    expect(fromBitmaps.answer.periods).toEqual(expected);
    const fromEvents = await ask({ ...request, filters: [EVERYTHING] });
    expect(fromEvents.path).toBe('events');
    expect(fromEvents.answer.periods).toEqual(fromBitmaps.answer.periods);
    // Any event returns: a cohort is all there in its own period.
    expect(expected.every((row) => row.values[0]!.returned === row.size)).toBe(true);
    expect(expected.some((row) => row.values.slice(1).some((cell) => cell.returned > 0))).toBe(true);
  });

  it.each<[string, Period]>([
    ['days', 'day'],
    ['weeks', 'week'],
  ])('in a half-hour zone (Asia/Kolkata), by %s, counts from the raw events, exactly', async (_label, period) => {
    const request = { ...range(RAGGED), period, timeZone: 'Asia/Kolkata' };
    const { answer, path } = await ask(request);
    expect(path).toBe('events');
    expect(answer.periods).toEqual(expectedTriangle(request));
    expect(answer.periods[1]!.start).toMatch(/T18:30:00.000Z$/);
  });
});

describe('retention on chosen events, with filters', () => {
  it.each<[string, Partial<TRetentionRequest> & { from: string; to: string }]>([
    ['cohort by sign-up, returning on anything', { ...range(RAGGED), period: 'week', cohortEvent: { kind: 'event', name: 'signup' } }],
    ['cohort on anything, returning to buy', { ...range(RAGGED), period: 'day', timeZone: 'Europe/Berlin', returnEvent: { kind: 'event', name: 'purchase' } }],
    [
      'cohort by pro visitors on pricing pages, returning to buy',
      {
        ...range(WHOLE_DAYS),
        period: 'week',
        timeZone: 'America/New_York',
        cohortEvent: { kind: 'page', path: '/pricing', match: 'startsWith', filters: [{ field: 'property', key: 'plan', operator: 'is', value: 'pro' }] },
        returnEvent: { kind: 'event', name: 'purchase' },
      },
    ],
    ['only events from Germany', { ...range(RAGGED), period: 'day', filters: [{ field: 'country', operator: 'is', value: 'DE' }] }],
    [
      'filters on every event, cohort and return',
      {
        ...range(RAGGED),
        period: 'week',
        cohortEvent: { kind: 'page', path: 'pricing', match: 'contains' },
        returnEvent: { kind: 'event', name: 'search' },
        filters: [{ field: 'browser', operator: 'isNot', value: 'Safari' }],
      },
    ],
    ['a cohort event no one sent', { ...range(RAGGED), period: 'month', cohortEvent: { kind: 'event', name: 'never-sent' } }],
  ])('%s: every cell as the oracle counts it', async (_label, request) => {
    const { answer, path } = await ask(request);
    expect(path).toBe('events');
    const expected = expectedTriangle(request);
    expect(answer.periods).toEqual(expected);
  });
});

describe('answers', () => {
  it('are cached: the same question again is answered without a query', async () => {
    const request = { ...range(RAGGED), period: 'week' as const, timeZone: 'Europe/Berlin' };
    const first = await ask(request);
    const second = await ask(request);
    expect(second).toMatchObject({ path: 'cache', answer: { cache: { hit: true }, periods: first.answer.periods } });
  });

  it.each(['UTC', 'Europe/Berlin', 'Asia/Kolkata'])(
    'refuse more than 60 cohorts, counted in local days (%s), saying which limit and what to do',
    async (timeZone) => {
      const today = periodDay(new Date(), 'day', timeZone);
      const days = (count: number) => ({
        from: localMidnight(today - count, timeZone).toISOString(),
        to: localMidnight(today, timeZone).toISOString(),
        period: 'day' as const,
        timeZone,
      });
      expect((await runtime.services.cohorts.retention(tenantId, days(60))).periods).toHaveLength(60);
      await expect(runtime.services.cohorts.retention(tenantId, days(61))).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: 'by day this range has 61 cohorts; the limit is 60: choose a longer period or a shorter range',
      });
    },
  );
});
