import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TFilter } from '@pulse/shared/filters';
import { MAX_GOALS, ZCreateGoalRequest, type TGoal, type TGoalInput } from '@pulse/shared/goals';
import { EventPartitions } from '../infra/db/event-partitions.ts';
import { EventRepository, type EventRow } from '../repositories/event-repository.ts';
import type { Runtime } from '../runtime.ts';
import { meetsFilter, meetsMatch } from '../test/filter-oracle.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';
import { bearer, callTrpc } from '../test/trpc-http.ts';
import { mulberry32 } from './demo-events.ts';

// The oracle: goal reports (conversions, visitors, rate per goal, under whole-report filters) against the same
// numbers computed here, in TypeScript, over the generated rows. Then the goals' own rules over HTTP.
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// 11 to 13 days ago: inside every plan's retention, and clear of the days other test files make partitions for.
const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 13 * DAY_MS);
const end = new Date(start.getTime() + 2 * DAY_MS);

let runtime: Runtime;
let server: TestServer;
let tenant: TestTenant;
const rows: EventRow[] = [];

const GOALS: TGoalInput[] = [
  { name: 'Signed up', match: { kind: 'event', name: 'signup' } },
  { name: 'Paid 10 or more', match: { kind: 'event', name: 'purchase', filters: [{ field: 'property', key: 'amount', operator: 'gte', value: 10 }] } },
  { name: 'Saw pricing', match: { kind: 'page', path: '/pricing' } },
  {
    name: 'Pricing pages from Germany',
    match: { kind: 'page', path: '/pricing', match: 'startsWith', filters: [{ field: 'country', operator: 'is', value: 'DE' }] },
  },
  { name: 'Read about pricing', match: { kind: 'page', path: 'pricing', match: 'contains' } },
  {
    name: 'Pro upgrade in beta',
    match: {
      kind: 'event',
      name: 'upgrade',
      filters: [
        { field: 'property', key: 'plan', operator: 'is', value: 'pro' },
        { field: 'property', key: 'beta', operator: 'isSet' },
      ],
    },
  },
  { name: 'Never happens', match: { kind: 'event', name: 'refund' } },
];

beforeAll(async () => {
  runtime = await startTestRuntime();
  server = await startTestServer(runtime);
  tenant = await createTestTenant(runtime, 'goals');
  const random = mulberry32(23);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  for (let i = 0; i < 900; i += 1) {
    const type = pick(['page', 'page', 'track']);
    const properties: Record<string, unknown> = {};
    if (random() < 0.6) properties.plan = pick(['free', 'pro', 'enterprise']);
    if (random() < 0.6) properties.amount = pick([0, 5, 10, 42, 99.5]);
    if (random() < 0.1) properties.amount = '10';
    if (random() < 0.3) properties.beta = pick([true, false]);
    rows.push({
      tenantId: tenant.id,
      messageId: `goals-${i}`,
      type,
      name: type === 'page' ? 'page_view' : pick(['signup', 'purchase', 'upgrade', 'logout']),
      userId: random() < 0.5 ? `u-${Math.floor(random() * 30)}` : null,
      anonymousId: `a-${Math.floor(random() * 60)}`,
      sessionId: `s-${Math.floor(random() * 80)}`,
      path: random() < 0.95 ? pick(['/', '/pricing', '/pricing/teams', '/docs/start', '/blog/pricing-news']) : null,
      referrer: null,
      device: pick(['desktop', 'mobile', null]),
      browser: pick(['Chrome', 'Safari', 'Firefox']),
      country: pick(['DE', 'US', 'FR', null]),
      os: pick(['Windows', 'macOS', 'iOS']),
      referrerSource: pick(['Google', null]),
      utmSource: null,
      utmMedium: null,
      utmCampaign: pick(['launch', null]),
      isBot: random() < 0.08,
      properties,
      ts: new Date(start.getTime() + Math.floor(random() * 2 * DAY_MS)),
    });
  }
  await new EventPartitions(runtime.pool).ensureDays(start, end);
  await new EventRepository(runtime.pool).insertMany(rows);
  for (const goal of GOALS) await runtime.services.goals.create(tenant.id, ZCreateGoalRequest.parse(goal));
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

const visitorsOf = (matching: EventRow[]) => new Set(matching.map((row) => row.userId ?? row.anonymousId)).size;

function expectedReport(from: Date, to: Date, filters: TFilter[], goals: TGoal[]) {
  const counted = rows.filter((row) => !row.isBot && row.ts >= from && row.ts < to && filters.every((filter) => meetsFilter(row, filter)));
  const visitors = visitorsOf(counted);
  return {
    visitors,
    goals: goals.map((goal) => {
      const converted = counted.filter((row) => meetsMatch(row, goal.match));
      const goalVisitors = visitorsOf(converted);
      return { id: goal.id, name: goal.name, conversions: converted.length, visitors: goalVisitors, rate: visitors === 0 ? 0 : goalVisitors / visitors };
    }),
  };
}

const RANGES: Array<[label: string, from: Date, to: Date]> = [
  ['the whole two days', start, end],
  // Ragged: starts and ends mid-hour.
  ['a ragged range', new Date(start.getTime() + 5 * HOUR_MS + 17 * 60_000), new Date(start.getTime() + 41 * HOUR_MS + 3 * 60_000)],
];

const FILTERS: Array<[label: string, filters: TFilter[]]> = [
  ['no filters', []],
  ['a column is not (rows without a country included)', [{ field: 'country', operator: 'isNot', value: 'US' }]],
  ['a property', [{ field: 'property', key: 'plan', operator: 'is', value: 'pro' }]],
  [
    'several, ANDed',
    [
      { field: 'browser', operator: 'isNot', value: 'Safari' },
      { field: 'path', operator: 'startsWith', value: '/pricing' },
    ],
  ],
  ['nothing matches', [{ field: 'os', operator: 'is', value: 'Plan 9' }]],
];

const CASES = RANGES.flatMap(([range, from, to]) => FILTERS.map(([label, filters]) => [`${range}, ${label}`, from, to, filters] as const));

describe('the goals report', () => {
  it.each(CASES)('%s: counts conversions, visitors and rates exactly', async (_label, from, to, filters) => {
    const goals = await runtime.services.goals.list(tenant.id);
    expect(goals.map((goal) => goal.name)).toEqual(GOALS.map((goal) => goal.name));
    const answer = await runtime.services.goals.report(tenant.id, { from: from.toISOString(), to: to.toISOString(), filters });
    expect({ visitors: answer.visitors, goals: answer.goals }).toEqual(expectedReport(from, to, filters, goals));
  });

  it('is asked of data that can tell a right answer from a wrong one', async () => {
    const goals = await runtime.services.goals.list(tenant.id);
    const inRange = rows.filter((row) => row.ts >= start && row.ts < end);
    // Bots converted too (leaving them out matters); every goal but the last converted some visitors but not all,
    // and some more than once (events and visitors differ).
    for (const goal of [goals[0]!, goals[2]!])
      expect(
        inRange.some((row) => row.isBot && meetsMatch(row, goal.match)),
        goal.name,
      ).toBe(true);
    const { goals: results, visitors } = expectedReport(start, end, [], goals);
    for (const result of results.slice(0, -1)) expect(result.visitors > 0 && result.visitors < visitors, result.name).toBe(true);
    expect(results.filter((result) => result.conversions > result.visitors).length).toBeGreaterThan(3);
    expect(results.at(-1)).toMatchObject({ conversions: 0, visitors: 0, rate: 0 });
  });

  it('is cached, and editing a goal asks a new question', async () => {
    const range = { from: start.toISOString(), to: new Date(start.getTime() + 30 * HOUR_MS).toISOString() };
    const first = await runtime.services.goals.report(tenant.id, range);
    expect((await runtime.services.goals.report(tenant.id, range)).cache.hit).toBe(true);

    const other = await createTestTenant(runtime, 'goals-edit');
    await new EventRepository(runtime.pool).insertMany(rows.map((row) => ({ ...row, tenantId: other.id })));
    const goal = await runtime.services.goals.create(other.id, ZCreateGoalRequest.parse(GOALS[0]));
    await runtime.services.goals.create(other.id, ZCreateGoalRequest.parse(GOALS[1]));
    const before = await runtime.services.goals.report(other.id, range);
    const edited = await runtime.services.goals.update(other.id, { id: goal.id, match: { kind: 'page', path: '/docs', match: 'startsWith' } });
    const after = await runtime.services.goals.report(other.id, range);
    expect(after.cache.hit).toBe(false);
    const goals = await runtime.services.goals.list(other.id);
    expect(goals.find((candidate) => candidate.id === edited.id)!.match).toEqual({ kind: 'page', path: '/docs', match: 'startsWith' });
    expect({ visitors: after.visitors, goals: after.goals }).toEqual(expectedReport(start, new Date(range.to), [], goals));
    expect(after.goals[0]!.conversions).not.toBe(before.goals[0]!.conversions);
    // Same events, same goal definitions: the other tenant's first answer agrees with this tenant's.
    expect(before.goals[0]).toEqual({ ...first.goals[0], id: goal.id });
  });
});

describe('goals', () => {
  const create = (as: TestTenant, input: unknown, key: 'admin' | 'read' = 'admin') =>
    callTrpc<TGoal>(server.url, 'goals.create', 'mutation', input, bearer(as.keys[key]));

  it.each([
    ['an empty name', { name: '  ', match: { kind: 'event', name: 'signup' } }, /name: give the goal a name/],
    ['a long name', { name: 'x'.repeat(101), match: { kind: 'event', name: 'signup' } }, /at most 100 characters/],
    ['no event name', { name: 'Signup', match: { kind: 'event' } }, /match\.name/],
    ['an unknown kind', { name: 'Signup', match: { kind: 'click', name: 'signup' } }, /match\.kind/],
    ['an unknown path match', { name: 'Pricing', match: { kind: 'page', path: '/pricing', match: 'regex' } }, /match\.match/],
    [
      'a number compared with text',
      { name: 'Big', match: { kind: 'event', name: 'purchase', filters: [{ field: 'property', key: 'amount', operator: 'gt', value: 'ten' }] } },
      /compares numbers/,
    ],
    ['text PostgreSQL cannot store', { name: 'Pricing', match: { kind: 'page', path: '/pricing\u0000' } }, /NUL character/],
  ])('refuses %s with 400, saying what was wrong', async (_label, input, message) => {
    const owner = await createTestTenant(runtime, 'goals-invalid');
    const answer = await create(owner, input);
    expect(answer.status).toBe(400);
    expect(answer.error!.message).toMatch(message);
    expect((await runtime.services.goals.list(owner.id)).length).toBe(0);
  });

  it('are created, listed, renamed and deleted by an admin key; a read key only lists them', async () => {
    const owner = await createTestTenant(runtime, 'goals-crud');
    const created = await create(owner, { name: 'Pricing', match: { kind: 'page', path: '/pricing' } });
    expect(created.data).toEqual({ id: expect.any(Number), name: 'Pricing', match: { kind: 'page', path: '/pricing', match: 'is' } });
    expect((await create(owner, { name: 'By reader', match: { kind: 'event', name: 'x' } }, 'read')).status).toBe(403);
    const listed = await callTrpc<TGoal[]>(server.url, 'goals.list', 'query', undefined, bearer(owner.keys.read));
    expect(listed.data).toEqual([created.data]);
    const id = created.data!.id;
    const renamed = await callTrpc<TGoal>(server.url, 'goals.update', 'mutation', { id, name: 'Pricing page' }, bearer(owner.keys.admin));
    expect(renamed.data).toEqual({ ...created.data, name: 'Pricing page' });
    const nothing = await callTrpc(server.url, 'goals.update', 'mutation', { id }, bearer(owner.keys.admin));
    expect(nothing.status).toBe(400);
    expect(nothing.error!.message).toContain('give a new name, a new match, or both');
    expect((await callTrpc(server.url, 'goals.delete', 'mutation', { id }, bearer(owner.keys.admin))).data).toEqual({ id, deleted: true });
    const again = await callTrpc(server.url, 'goals.delete', 'mutation', { id }, bearer(owner.keys.admin));
    expect(again.status).toBe(404);
    expect(again.error!.message).toBe(`this tenant has no goal with id ${id}`);
    expect(await runtime.services.goals.list(owner.id)).toEqual([]);
  });

  it(`stop at ${MAX_GOALS} per tenant, however many are asked for at once`, async () => {
    const owner = await createTestTenant(runtime, 'goals-limit');
    for (let i = 0; i < MAX_GOALS - 3; i += 1) await runtime.services.goals.create(owner.id, { name: `Goal ${i}`, match: { kind: 'event', name: `e${i}` } });
    const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => create(owner, { name: `Racer ${i}`, match: { kind: 'event', name: 'race' } })));
    expect(racing.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 403, 403, 403]);
    expect(racing.find((answer) => answer.status === 403)!.error!.message).toBe(
      `this tenant already has ${MAX_GOALS} goals, the most any plan allows; delete one before adding another`,
    );
    expect((await runtime.services.goals.list(owner.id)).length).toBe(MAX_GOALS);
  });

  it("of one tenant cannot be changed or deleted with another tenant's keys", async () => {
    const [a, b] = await Promise.all([createTestTenant(runtime, 'goals-a'), createTestTenant(runtime, 'goals-b')]);
    const bGoal = (await create(b, { name: 'B only', match: { kind: 'event', name: 'b_event' } })).data!;
    const update = await callTrpc(server.url, 'goals.update', 'mutation', { id: bGoal.id, name: 'Taken by A' }, bearer(a.keys.admin));
    const remove = await callTrpc(server.url, 'goals.delete', 'mutation', { id: bGoal.id }, bearer(a.keys.admin));
    expect([update.status, remove.status]).toEqual([404, 404]);
    expect(update.error!.message).toBe(`this tenant has no goal with id ${bGoal.id}`);
    expect(await runtime.services.goals.list(b.id)).toEqual([bGoal]);
    expect(await runtime.services.goals.list(a.id)).toEqual([]);
  });
});
