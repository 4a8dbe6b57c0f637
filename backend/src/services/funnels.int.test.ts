import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMatch, type TEventMatch } from '@pulse/shared/event-match';
import type { TFilter } from '@pulse/shared/filters';
import { ZFunnelRequest, type TFunnelBreakdown, type TFunnelRequest, type TFunnelResponse } from '@pulse/shared/funnels';
import { EventPartitions } from '../infra/db/event-partitions.ts';
import { EventRepository, type EventRow } from '../repositories/event-repository.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, type TestTenant } from '../test/test-tenant.ts';
import { meetsFilter, meetsMatch } from '../test/filter-oracle.ts';
import { mulberry32 } from './demo-events.ts';

// The oracle: funnels over generated visitors (steps in and out of order, repeats, equal timestamps, late steps,
// bots, events without any id) against the same questions answered here, in TypeScript, by the definition in
// shared/src/funnels.ts.
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
let runtime: Runtime;
let tenant: TestTenant;
const rows: EventRow[] = [];
// Ten to eight days ago: inside every plan's retention, and clear of the days other test files give partitions of their own.
const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 10 * DAY_MS);
const at = (offsetMs: number) => new Date(start.getTime() + offsetMs);
// Ragged: starts and ends mid-hour.
const RANGE = { from: at(7 * HOUR_MS + 13 * MINUTE_MS + 17_000).toISOString(), to: at(55 * HOUR_MS + 31 * MINUTE_MS).toISOString() };
/** Where the hand-made visitors act, well inside RANGE. */
const EDGE = 20 * HOUR_MS;
/** Only the hand-made visitors' events carry this property. */
const HAND_MADE: TFilter = { field: 'property', key: 'handMade', operator: 'isSet' };

const NAMES = ['signup', 'activate', 'purchase', 'invite'];
const PATHS = ['/', '/pricing', '/pricing/teams', '/docs/start', '/blog/pricing-news', null];

function row(fields: Partial<EventRow> & Pick<EventRow, 'messageId' | 'ts'>): EventRow {
  return {
    tenantId: tenant.id,
    type: 'track',
    name: 'signup',
    userId: null,
    anonymousId: null,
    sessionId: null,
    path: null,
    referrer: null,
    device: null,
    browser: null,
    country: null,
    os: null,
    referrerSource: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    isBot: false,
    properties: {},
    ...fields,
  };
}

function generatedRows(): EventRow[] {
  const random = mulberry32(23);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const generated: EventRow[] = [];
  for (let visitor = 0; visitor < 220; visitor += 1) {
    const userId = random() < 0.5 ? `u-${visitor}` : null;
    const anonymousId = userId === null || random() < 0.5 ? `a-${visitor}` : null;
    const bot = random() < 0.05;
    const country = pick(['DE', 'US', 'FR', 'GB', null]);
    const browser = pick(['Chrome', 'Safari', 'Firefox']);
    const base = Math.floor(random() * 56 * HOUR_MS);
    const spread = pick([10 * MINUTE_MS, 3 * HOUR_MS, 30 * HOUR_MS]);
    const events = 1 + Math.floor(random() * 12);
    for (let i = 0; i < events; i += 1) {
      const page = random() < 0.4;
      let offset = Math.floor(random() * spread);
      // Often on a five-minute grid: equal timestamps within a visitor are common.
      if (random() < 0.4) offset -= offset % (5 * MINUTE_MS);
      const properties: Record<string, unknown> = {};
      if (random() < 0.7) properties.plan = pick(['free', 'pro', 'enterprise', null]);
      if (random() < 0.5) properties.amount = pick([0, 5, 10, 42, 99.5]);
      const noId = random() < 0.05;
      generated.push(
        row({
          messageId: `funnel-${visitor}-${i}`,
          type: page ? 'page' : 'track',
          name: page ? 'page_view' : pick(NAMES),
          userId: noId ? null : userId,
          anonymousId: noId ? null : anonymousId,
          // Track events carry a path now and then too: a page step must still want a page view.
          path: page || random() < 0.3 ? pick(PATHS) : null,
          country: random() < 0.85 ? country : pick(['DE', 'US', null]),
          browser,
          device: pick(['desktop', 'mobile']),
          os: pick(['Windows', 'iOS']),
          referrerSource: pick(['Google', null]),
          utmSource: pick(['newsletter', null]),
          utmMedium: pick(['email', null]),
          utmCampaign: pick(['launch', 'autumn', null]),
          isBot: bot || random() < 0.02,
          properties,
          ts: at(base + offset),
        }),
      );
    }
  }
  return generated;
}

/** Visitors at the rules' edges, so that each rule decides a count whatever the generator did. */
function handMadeRows(): EventRow[] {
  const event = (messageId: string, userId: string | null, name: string, offsetMs: number, fields: Partial<EventRow> = {}) =>
    row({ messageId: `edge-${messageId}`, userId, name, ts: at(EDGE + offsetMs), ...fields, properties: { handMade: true, ...fields.properties } });
  const from = Date.parse(RANGE.from) - start.getTime() - EDGE;
  return [
    // Exactly at entry + window (one day) counts; a millisecond later does not.
    event('window-in-1', 'edge-window-in', 'signup', 0),
    event('window-in-2', 'edge-window-in', 'purchase', DAY_MS),
    event('window-out-1', 'edge-window-out', 'signup', 0),
    event('window-out-2', 'edge-window-out', 'purchase', DAY_MS + 1),
    // One event never satisfies two steps: a purchase at the signup's instant does not follow it.
    event('equal-1', 'edge-equal', 'signup', HOUR_MS),
    event('equal-2', 'edge-equal', 'purchase', HOUR_MS),
    event('equal-twice-1', 'edge-equal-twice', 'signup', HOUR_MS),
    event('equal-twice-2', 'edge-equal-twice', 'signup', HOUR_MS),
    // Out of order: the purchase came first.
    event('order-1', 'edge-order', 'purchase', 0),
    event('order-2', 'edge-order', 'signup', MINUTE_MS),
    // The window runs from the first signup, not from a later one.
    event('repeat-1', 'edge-repeat', 'signup', 0),
    event('repeat-2', 'edge-repeat', 'signup', 20 * HOUR_MS),
    event('repeat-3', 'edge-repeat', 'purchase', 25 * HOUR_MS),
    // Bots and events without any id count nowhere.
    event('bot-1', 'edge-bot', 'signup', 0, { isBot: true }),
    event('bot-2', 'edge-bot', 'purchase', MINUTE_MS, { isBot: true }),
    event('no-id-1', null, 'signup', 0),
    event('no-id-2', null, 'purchase', MINUTE_MS),
    // A signup before the range does not enter: the one inside it does.
    event('before-1', 'edge-before', 'signup', from - 1),
    event('before-2', 'edge-before', 'purchase', from + HOUR_MS),
    event('before-3', 'edge-before', 'signup', from + 2 * HOUR_MS),
    event('before-4', 'edge-before', 'purchase', from + 3 * HOUR_MS),
    // Two entry events at one instant: the breakdown takes the one with the lower message id.
    event('tie-b', 'edge-tie', 'signup', 0, { country: 'US', properties: { plan: 'pro' } }),
    event('tie-a', 'edge-tie', 'signup', 0, { country: 'FR', properties: { plan: 'free' } }),
    event('tie-c', 'edge-tie', 'purchase', 90_000),
    // An anonymous visitor who later signs in is two visitors: ids are not merged.
    event('anon-1', null, 'signup', 0, { anonymousId: 'edge-anon' }),
    event('anon-2', 'edge-known', 'purchase', MINUTE_MS, { anonymousId: 'edge-anon' }),
  ];
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  tenant = await createTestTenant(runtime, 'funnels');
  rows.push(...generatedRows(), ...handMadeRows());
  await new EventPartitions(runtime.pool).ensureDays(at(-DAY_MS), at(4 * DAY_MS));
  await new EventRepository(runtime.pool).insertMany(rows);
});

afterAll(async () => {
  await runtime?.close();
});

function breakdownValue(entry: EventRow, breakdown: TFunnelBreakdown): string {
  const value = typeof breakdown === 'string' ? entry[breakdown] : entry.properties[breakdown.property];
  return value === null || value === undefined ? '(none)' : String(value);
}

/** Byte order, as COLLATE "C" sorts (every string here is ASCII). */
const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** percentile_cont(0.5): the middle value, or PostgreSQL's interpolation between the middle two. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const lo = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const hi = sorted[Math.ceil((sorted.length - 1) / 2)]!;
  return lo + (hi - lo) * 0.5;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return groups;
}

interface Journey {
  value: string;
  /** When the visitor reached each step they reached, in ms. */
  times: number[];
}

function expectedFunnel(request: TFunnelRequest): Omit<TFunnelResponse, 'cache'> {
  const question = ZFunnelRequest.parse(request);
  const [from, to] = [Date.parse(question.from), Date.parse(question.to)];
  const counted = rows.filter(
    (event) =>
      !event.isBot &&
      (event.userId ?? event.anonymousId) !== null &&
      event.ts.getTime() >= from &&
      event.ts.getTime() < to &&
      (question.filters ?? []).every((filter) => meetsFilter(event, filter)),
  );
  const byVisitor = groupBy(counted, (event) => (event.userId ?? event.anonymousId)!);
  const journeys: Journey[] = [];
  for (const events of byVisitor.values()) {
    const entries = events
      .filter((event) => meetsMatch(event, question.steps[0]!))
      .sort((a, b) => a.ts.getTime() - b.ts.getTime() || byBytes(a.messageId, b.messageId));
    const entry = entries[0];
    if (!entry) continue;
    const times = [entry.ts.getTime()];
    const deadline = entry.ts.getTime() + question.windowSeconds * 1_000;
    for (const step of question.steps.slice(1)) {
      const previous = times.at(-1)!;
      const next = events
        .filter((event) => meetsMatch(event, step) && event.ts.getTime() > previous && event.ts.getTime() <= deadline)
        .map((event) => event.ts.getTime())
        .sort((a, b) => a - b)[0];
      if (next === undefined) break;
      times.push(next);
    }
    journeys.push({ value: question.breakdown === undefined ? '' : breakdownValue(entry, question.breakdown), times });
  }
  const stepsOf = (group: Journey[]) => {
    const reached = question.steps.map((_, index) => group.filter((journey) => journey.times.length > index));
    return question.steps.map((step, index) => ({
      label: describeMatch(step),
      visitors: reached[index]!.length,
      dropped: index === 0 ? 0 : reached[index - 1]!.length - reached[index]!.length,
      conversion: group.length === 0 ? 0 : reached[index]!.length / group.length,
      medianSecondsFromPrevious: index === 0 ? null : median(reached[index]!.map((journey) => (journey.times[index]! - journey.times[index - 1]!) / 1_000)),
    }));
  };
  const answer = { windowSeconds: question.windowSeconds, steps: stepsOf(journeys) };
  if (question.breakdown === undefined) return answer;
  const rowsByValue = [...groupBy(journeys, (journey) => journey.value)]
    .sort(([valueA, a], [valueB, b]) => b.length - a.length || byBytes(valueA, valueB))
    .slice(0, question.limit)
    .map(([value, group]) => ({ value, steps: stepsOf(group) }));
  return { ...answer, breakdown: { by: question.breakdown, rows: rowsByValue } };
}

const signup: TEventMatch = { kind: 'event', name: 'signup' };
const purchase: TEventMatch = { kind: 'event', name: 'purchase' };

const CASES: Array<[label: string, request: Omit<TFunnelRequest, 'from' | 'to'>]> = [
  ['two event steps, the default window of one day', { steps: [signup, purchase] }],
  ['two event steps, a one-hour window', { steps: [signup, purchase], windowSeconds: 3_600 }],
  ['the same step twice (a repeat is a later event)', { steps: [signup, signup], windowSeconds: 6 * 3_600 }],
  [
    'three steps: a page prefix, then events with property filters',
    {
      steps: [
        { kind: 'page', path: '/pricing', match: 'startsWith' },
        { kind: 'event', name: 'signup', filters: [{ field: 'property', key: 'plan', operator: 'isNot', value: 'enterprise' }] },
        { kind: 'event', name: 'purchase', filters: [{ field: 'property', key: 'amount', operator: 'gte', value: 10 }] },
      ],
      windowSeconds: 12 * 3_600,
    },
  ],
  [
    'eight steps, pages exact, by prefix and by substring among events',
    {
      steps: [
        { kind: 'page', path: '/', match: 'is' },
        signup,
        { kind: 'page', path: 'pricing', match: 'contains' },
        { kind: 'event', name: 'activate' },
        purchase,
        { kind: 'page', path: '/docs', match: 'startsWith' },
        { kind: 'event', name: 'invite' },
        purchase,
      ],
      windowSeconds: 2 * 86_400,
    },
  ],
  [
    'whole-funnel filters on columns and a property',
    {
      steps: [signup, { kind: 'event', name: 'activate' }, purchase],
      windowSeconds: 30 * 3_600,
      filters: [
        { field: 'browser', operator: 'isNot', value: 'Safari' },
        { field: 'property', key: 'plan', operator: 'isSet' },
      ],
    },
  ],
  ['a page filter on the whole funnel', { steps: [signup, purchase], filters: [{ field: 'path', operator: 'startsWith', value: '/pricing' }] }],
  ['broken down by country (top 3)', { steps: [signup, { kind: 'event', name: 'activate' }, purchase], breakdown: 'country', limit: 3 }],
  ['broken down by a property, every value', { steps: [signup, purchase], breakdown: { property: 'plan' }, limit: 20 }],
  ['broken down by the entry page', { steps: [{ kind: 'page', path: '/', match: 'startsWith' }, signup], breakdown: 'path', windowSeconds: 3 * 3_600 }],
  ['broken down, with whole-funnel filters', { steps: [signup, purchase], breakdown: 'browser', filters: [{ field: 'country', operator: 'is', value: 'DE' }] }],
  ['nobody enters', { steps: [{ kind: 'event', name: 'nobody-does-this' }, purchase], breakdown: 'os' }],
];

describe('a funnel', () => {
  it.each(CASES)('%s: counts, drop-off, conversion and medians as the definition says', async (_label, shape) => {
    const request = { ...RANGE, ...shape };
    const answer = await runtime.services.funnels.funnel(tenant.id, request);
    const { cache: _cache, ...rest } = answer;
    expect(rest).toEqual(expectedFunnel(request));
  });

  it('exercises every rule: the data have visitors each rule keeps out', () => {
    const request = { ...RANGE, steps: [signup, purchase], windowSeconds: 86_400 };
    const reached = (changes: Partial<TFunnelRequest>) => expectedFunnel({ ...request, ...changes }).steps[1]!.visitors;
    expect(expectedFunnel(request).steps[0]!.visitors).toBeGreaterThan(20);
    expect(reached({})).toBeGreaterThan(5);
    expect(reached({ windowSeconds: 90 * 86_400 })).toBeGreaterThan(reached({}));
    const withBreakdown = expectedFunnel({ ...request, breakdown: 'country' }).breakdown!.rows;
    expect(withBreakdown.length).toBeGreaterThan(3);
  });

  it('counts the hand-made visitors as a person would', async () => {
    const request = { ...RANGE, steps: [signup, purchase], filters: [HAND_MADE], breakdown: 'country' as const };
    const answer = await runtime.services.funnels.funnel(tenant.id, request);
    // In: window-in, window-out, equal, equal-twice, order, repeat, before (its second signup), tie, anon (9).
    // Reached: window-in after 86,400 s, before after 3,600 s, tie after 90 s.
    expect(answer.steps).toEqual([
      { label: 'signup', visitors: 9, dropped: 0, conversion: 1, medianSecondsFromPrevious: null },
      { label: 'purchase', visitors: 3, dropped: 6, conversion: 3 / 9, medianSecondsFromPrevious: 3_600 },
    ]);
    // The tie at entry goes to message id "edge-tie-a", from France; no other hand-made event has a country.
    expect(answer.breakdown!.rows.map((row) => [row.value, row.steps.map((step) => step.visitors)])).toEqual([
      ['(none)', [8, 2]],
      ['FR', [1, 1]],
    ]);
  });

  it('refuses a funnel that cannot mean anything, saying why', () => {
    const refused = (shape: object) => ZFunnelRequest.safeParse({ ...RANGE, ...shape }).error?.issues[0]?.message;
    expect(refused({ steps: [signup] })).toMatch(/2/);
    expect(refused({ steps: Array.from({ length: 9 }, () => signup) })).toMatch(/8/);
    expect(refused({ steps: [signup, purchase], windowSeconds: 59 })).toMatch(/60/);
    expect(refused({ steps: [signup, purchase], windowSeconds: 90 * 86_400 + 1 })).toBeDefined();
    expect(refused({ steps: [signup, purchase], breakdown: 'country', limit: 21 })).toMatch(/20/);
    expect(refused({ steps: [signup, purchase], breakdown: 'user_id' })).toBeDefined();
  });
});

describe('a cached funnel', () => {
  it('is served from the cache until an event of its range is stored, then counts that event', async () => {
    const request = { ...RANGE, steps: [signup, purchase], windowSeconds: 7_200 };
    const first = await runtime.services.funnels.funnel(tenant.id, request);
    expect(first.cache.hit).toBe(false);
    const second = await runtime.services.funnels.funnel(tenant.id, request);
    expect(second).toMatchObject({ steps: first.steps, cache: { hit: true } });

    const ts = at(30 * HOUR_MS);
    const ingested = await runtime.services.eventIngest.ingest(tenant, {
      batch: [{ type: 'track', event: 'signup', userId: 'late-visitor', messageId: 'funnel-late', timestamp: ts.toISOString() }],
    });
    expect(ingested.accepted).toBe(1);
    rows.push(row({ messageId: 'funnel-late', userId: 'late-visitor', ts }));

    const after = await runtime.services.funnels.funnel(tenant.id, request);
    expect(after.cache.hit).toBe(false);
    expect(after.steps[0]!.visitors).toBe(first.steps[0]!.visitors + 1);
    const { cache: _cache, ...rest } = after;
    expect(rest).toEqual(expectedFunnel(request));
  });
});
