import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createPgPool } from '../../infra/db/pg-pool.ts';
import { EventPartitions } from '../../infra/db/event-partitions.ts';
import { createLogger } from '../../infra/logger.ts';
import { AlertMetricRepository } from '../../repositories/alert-metric-repository.ts';
import { AlertRuleRepository } from '../../repositories/alert-rule-repository.ts';
import { AlertScheduleRepository } from '../../repositories/alert-schedule-repository.ts';
import { AlertWebhookRepository } from '../../repositories/alert-webhook-repository.ts';
import { EventRepository } from '../../repositories/event-repository.ts';
import { TenantRepository } from '../../repositories/tenant-repository.ts';
import type { Runtime } from '../../runtime.ts';
import { eventRow } from '../../test/event-row.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../test/scratch-database.ts';
import { startTestRuntime } from '../../test/test-runtime.ts';
import { AlertRuleService } from './alert-rule-service.ts';
import { AlertScheduler } from './alert-scheduler.ts';

const WINDOW_MS = 5 * 60_000;
const LEASE_MS = 30_000;
const SETTLE_MS = 10_000;

let runtime: Runtime;
/** A database of this file's own: runtimes of other test files run alert schedulers on the real clock over the shared one. */
let database: ScratchDatabase;
/** One pool per simulated instance: three sessions racing for the same rules, as three servers would. */
let instancePools: pg.Pool[];

beforeAll(async () => {
  database = await createScratchDatabase();
  runtime = await startTestRuntime({ DATABASE_URL: database.url });
  instancePools = [0, 1, 2].map(() => createPgPool(database.url, 2));
});

afterAll(async () => {
  await Promise.all(instancePools.map((pool) => pool.end()));
  await runtime?.close();
  await database?.drop();
});

/** A clock the test moves by hand, starting at a window boundary three hours ago (inside the minute rollups' two days). */
function manualClock() {
  let now = Math.floor((Date.now() - 3 * 3_600_000) / WINDOW_MS) * WINDOW_MS + 1_000;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

function schedulers(clock: { now: () => Date }) {
  const logger = createLogger('silent');
  return instancePools.map(
    (pool, index) =>
      new AlertScheduler(
        new AlertScheduleRepository(pool),
        new AlertMetricRepository(pool),
        { owner: `instance-${index}`, leaseMs: LEASE_MS, settleMs: SETTLE_MS, batchSize: 50, maxCatchUpMs: 47 * 3_600_000, clock: clock.now },
        logger,
      ),
  );
}

/** A tenant with a webhook and a rule: more than 5 `signup` events in a five-minute window. */
async function tenantWithRule(clock: { now: () => Date }, label: string, pendingWindows = 1) {
  const tenant = await new TenantRepository(runtime.prisma).create({ slug: `${label}-${Date.now().toString(36)}`, name: label, plan: 'pro' });
  const service = new AlertRuleService(
    new AlertRuleRepository(runtime.prisma),
    new AlertWebhookRepository(runtime.prisma),
    async (url) => ({ ok: true, url: new URL(url) }),
    clock.now,
  );
  const webhook = await service.createWebhook(tenant.id, { name: 'receiver', url: 'https://hooks.example.com/pulse' });
  const rule = await service.create(tenant.id, {
    name: 'sign-up surge',
    metric: { kind: 'events', name: 'signup' },
    window: '5m',
    condition: { type: 'above', value: 5 },
    pendingWindows,
    cooldownMinutes: 0,
    webhookId: webhook.id,
  });
  return { tenant, rule, service, firstWindowEnd: new Date(rule.nextWindowEnd) };
}

/** `count` signups in the five-minute window ending at `windowEnd`. */
async function signups(tenantId: number, windowEnd: Date, count: number, label: string) {
  const rows = Array.from({ length: count }, (_, index) =>
    eventRow(tenantId, `${label}-${windowEnd.getTime()}-${index}`, { name: 'signup', ts: new Date(windowEnd.getTime() - WINDOW_MS + 1_000 + index) }),
  );
  await new EventRepository(runtime.pool).insertMany(rows);
}

async function evaluations(tenantId: number) {
  const { rows } = await runtime.pool.query<{ window_end: Date; state: string; evaluated_by: string; value: number }>(
    'SELECT window_end, state, evaluated_by, value FROM alert_evaluations WHERE tenant_id = $1 ORDER BY window_end',
    [tenantId],
  );
  return rows;
}

async function deliveries(tenantId: number) {
  const { rows } = await runtime.pool.query<{ window_end: Date; kind: string }>(
    'SELECT window_end, kind FROM webhook_deliveries WHERE tenant_id = $1 ORDER BY window_end',
    [tenantId],
  );
  return rows.map((row) => `${row.window_end.toISOString()} ${row.kind}`);
}

describe('alert scheduling across instances', () => {
  beforeAll(async () => {
    await new EventPartitions(runtime.pool).ensureDays(new Date(Date.now() - 2 * 86_400_000), new Date());
  });

  it('judges each window once and notifies each firing once, with three instances ticking at the same moments', async () => {
    const clock = manualClock();
    const { tenant, firstWindowEnd } = await tenantWithRule(clock, 'alerts-three');
    const windowEnd = (index: number) => new Date(firstWindowEnd.getTime() + index * WINDOW_MS);
    // Windows 0-2 breach, 3 does not, 4-5 breach again.
    for (const index of [0, 1, 2, 4, 5]) await signups(tenant.id, windowEnd(index), 8, 'three');
    await signups(tenant.id, windowEnd(3), 2, 'three');
    const instances = schedulers(clock);

    while (clock.now().getTime() < windowEnd(5).getTime() + SETTLE_MS + WINDOW_MS) {
      clock.advance(WINDOW_MS / 2);
      await Promise.all(instances.map((instance) => instance.tick()));
    }

    const judgedWindows = await evaluations(tenant.id);
    expect(judgedWindows.map((row) => row.window_end.getTime())).toEqual([0, 1, 2, 3, 4, 5, 6].map((index) => windowEnd(index).getTime()));
    expect(judgedWindows.map((row) => row.state)).toEqual(['firing', 'firing', 'firing', 'resolved', 'firing', 'firing', 'resolved']);
    expect(await deliveries(tenant.id)).toEqual([
      `${windowEnd(0).toISOString()} firing`,
      `${windowEnd(3).toISOString()} resolved`,
      `${windowEnd(4).toISOString()} firing`,
      `${windowEnd(6).toISOString()} resolved`,
    ]);
  });

  it('hands a rule whose instance died to another once the lease runs out, and a stalled instance that lost it writes nothing', async () => {
    const clock = manualClock();
    const { tenant, rule, firstWindowEnd } = await tenantWithRule(clock, 'alerts-handover');
    await signups(tenant.id, firstWindowEnd, 9, 'handover');
    const [, survivor, other] = schedulers(clock);
    clock.advance(firstWindowEnd.getTime() + SETTLE_MS - clock.now().getTime());

    // The first instance claims the rule and dies before judging it (its claim is all it wrote).
    const owner = 'instance-dead';
    const claimed = await new AlertScheduleRepository(instancePools[0]!).claimDue(
      owner,
      clock.now(),
      clock.now(),
      new Date(clock.now().getTime() + LEASE_MS),
      50,
    );
    expect(claimed.map((claim) => claim.id)).toContain(rule.id);

    // While its lease lasts, nobody else judges the rule.
    clock.advance(LEASE_MS - 1_000);
    await Promise.all([survivor!.tick(), other!.tick()]);
    expect(await evaluations(tenant.id)).toEqual([]);

    // Then another instance takes it over and judges the window once.
    clock.advance(2_000);
    await Promise.all([survivor!.tick(), other!.tick()]);
    const judged = await evaluations(tenant.id);
    expect(judged.map((row) => [row.window_end.getTime(), row.state])).toEqual([[firstWindowEnd.getTime(), 'firing']]);
    expect(await deliveries(tenant.id)).toEqual([`${firstWindowEnd.toISOString()} firing`]);

    // The dead instance, had it only stalled, finds the rule gone from it: its verdict on the same window is refused.
    const stale = claimed.find((claim) => claim.id === rule.id)!;
    const written = await new AlertScheduleRepository(instancePools[0]!).recordVerdict(
      owner,
      tenant.id,
      rule.id,
      {
        windowEnd: stale.nextWindowEnd,
        value: 9,
        baseline: null,
        lower: null,
        upper: 5,
        breached: true,
        previousState: 'ok',
        state: 'firing',
        consecutiveBreaches: 1,
        lastFiredAt: stale.nextWindowEnd,
        nextWindowEnd: new Date(stale.nextWindowEnd.getTime() + WINDOW_MS),
        delivery: { webhookId: 1, kind: 'firing', payload: {} },
      },
      new Date(clock.now().getTime() + LEASE_MS),
    );
    expect(written).toBe(false);
    expect(await evaluations(tenant.id)).toHaveLength(1);
    expect(await deliveries(tenant.id)).toHaveLength(1);
  });

  it('catches up on the windows it missed in an outage, in order, without judging any twice', async () => {
    const clock = manualClock();
    const { tenant, firstWindowEnd } = await tenantWithRule(clock, 'alerts-outage', 2);
    const windowEnd = (index: number) => new Date(firstWindowEnd.getTime() + index * WINDOW_MS);
    for (const index of [1, 2, 3]) await signups(tenant.id, windowEnd(index), 7, 'outage');
    const instances = schedulers(clock);

    // Nothing ticks for an hour; then all three instances come back at once.
    clock.advance(windowEnd(11).getTime() + SETTLE_MS - clock.now().getTime());
    await Promise.all(instances.map((instance) => instance.tick()));
    await Promise.all(instances.map((instance) => instance.tick()));

    const judged = await evaluations(tenant.id);
    expect(judged.map((row) => row.window_end.getTime())).toEqual(Array.from({ length: 12 }, (_, index) => windowEnd(index).getTime()));
    expect(judged.slice(0, 5).map((row) => row.state)).toEqual(['ok', 'pending', 'firing', 'firing', 'resolved']);
    expect(await deliveries(tenant.id)).toEqual([`${windowEnd(2).toISOString()} firing`, `${windowEnd(4).toISOString()} resolved`]);
  });
});

describe('a changed rule', () => {
  it('judges the last closed window again on the new question, without a second notification for it, and goes on', async () => {
    const clock = manualClock();
    const { tenant, rule, service, firstWindowEnd } = await tenantWithRule(clock, 'alerts-changed');
    await signups(tenant.id, firstWindowEnd, 8, 'changed');
    const [instance] = schedulers(clock);
    clock.advance(firstWindowEnd.getTime() + SETTLE_MS - clock.now().getTime());
    await instance!.tick();
    expect((await evaluations(tenant.id)).map((row) => row.state)).toEqual(['firing']);

    // Asked again in the same window with a threshold the window does not pass: it starts afresh from that window.
    await service.update(tenant.id, { id: rule.id, condition: { type: 'above', value: 100 } });
    await instance!.tick();
    expect((await evaluations(tenant.id)).map((row) => [row.window_end.getTime(), row.state])).toEqual([[firstWindowEnd.getTime(), 'ok']]);
    clock.advance(WINDOW_MS);
    await instance!.tick();
    expect((await evaluations(tenant.id)).map((row) => row.state)).toEqual(['ok', 'ok']);
    expect(await deliveries(tenant.id)).toEqual([`${firstWindowEnd.toISOString()} firing`]);
  });
});

describe('goal and filtered rules', () => {
  it("count the window's raw events that a goal or the filters match, and have no data once the goal is gone", async () => {
    const clock = manualClock();
    const { tenant, service, firstWindowEnd } = await tenantWithRule(clock, 'alerts-raw');
    const goal = await runtime.services.goals.create(tenant.id, { name: 'Saw pricing', match: { kind: 'page', path: '/pricing', match: 'is' } });
    const rule = (name: string, metric: Parameters<AlertRuleService['create']>[1]['metric']) =>
      service.create(tenant.id, { name, metric, window: '5m', condition: { type: 'above', value: 2 } });
    const goalRule = await rule('pricing views', { kind: 'goal', goalId: goal.id });
    const germanRule = await rule('German sign-ups', { kind: 'events', name: 'signup', filters: [{ field: 'country', operator: 'is', value: 'DE' }] });
    const americanRule = await rule('American sign-ups', { kind: 'events', name: 'signup', filters: [{ field: 'country', operator: 'is', value: 'US' }] });
    const inWindow = new Date(firstWindowEnd.getTime() - 60_000);
    await new EventRepository(runtime.pool).insertMany([
      ...[0, 1, 2].map((index) => eventRow(tenant.id, `pricing-${index}`, { type: 'page', name: 'page_view', path: '/pricing', ts: inWindow })),
      eventRow(tenant.id, 'docs', { type: 'page', name: 'page_view', path: '/docs', ts: inWindow }),
      ...['DE', 'DE', 'DE', 'US', 'US'].map((country, index) => eventRow(tenant.id, `signup-${index}`, { name: 'signup', country, ts: inWindow })),
    ]);
    const [instance] = schedulers(clock);
    clock.advance(firstWindowEnd.getTime() + SETTLE_MS - clock.now().getTime());
    await instance!.tick();

    const judged = async (windowEnd: Date) => {
      const { rows } = await runtime.pool.query<{ rule_id: number; value: number | null; state: string }>(
        'SELECT rule_id, value, state FROM alert_evaluations WHERE tenant_id = $1 AND window_end = $2',
        [tenant.id, windowEnd],
      );
      return new Map(rows.map((row) => [row.rule_id, [row.value, row.state]]));
    };
    const first = await judged(firstWindowEnd);
    expect(first.get(goalRule.id)).toEqual([3, 'firing']);
    expect(first.get(germanRule.id)).toEqual([3, 'firing']);
    expect(first.get(americanRule.id)).toEqual([2, 'ok']);

    await runtime.services.goals.delete(tenant.id, goal.id);
    clock.advance(WINDOW_MS);
    await instance!.tick();
    expect((await judged(new Date(firstWindowEnd.getTime() + WINDOW_MS))).get(goalRule.id)).toEqual([null, 'no_data']);
  });
});

describe('anomaly rules', () => {
  it('fire on an hour far outside the same hour of the past eight weeks, with the band they were judged against', async () => {
    const HOUR_MS = 3_600_000;
    const windowEnd = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 2 * HOUR_MS);
    const tenant = await new TenantRepository(runtime.prisma).create({ slug: `alerts-anomaly-${Date.now().toString(36)}`, name: 'anomaly', plan: 'pro' });
    // Eight weeks of about 100 sign-ups an hour (what the hourly rollup holds), then 400 in the judged hour.
    await runtime.pool.query(
      `INSERT INTO rollup_hour (tenant_id, bucket, name, count)
       SELECT $1, bucket, 'signup', CASE WHEN bucket = $3::timestamptz - interval '1 hour' THEN 400 ELSE 95 + (extract(epoch FROM bucket)::bigint / 3600) % 11 END
         FROM generate_series($2::timestamptz, $3::timestamptz - interval '1 hour', interval '1 hour') AS bucket`,
      [tenant.id, new Date(windowEnd.getTime() - 57 * 86_400_000), windowEnd],
    );
    const service = new AlertRuleService(new AlertRuleRepository(runtime.prisma), new AlertWebhookRepository(runtime.prisma), async (url) => ({
      ok: true,
      url: new URL(url),
    }));
    const rule = (direction: 'up' | 'down') =>
      service.create(tenant.id, {
        name: `sign-ups ${direction}`,
        metric: { kind: 'events', name: 'signup' },
        window: '1h',
        condition: { type: 'anomalous', direction },
      });
    const rules = [await rule('up'), await rule('down')];
    await runtime.pool.query('UPDATE alert_rules SET next_window_end = $2 WHERE tenant_id = $1', [tenant.id, windowEnd]);

    const [scheduler] = schedulers({ now: () => new Date(windowEnd.getTime() + SETTLE_MS) });
    await scheduler!.tick();

    const { rows } = await runtime.pool.query<{ rule_id: number; value: number; baseline: number; lower: number; upper: number; state: string }>(
      'SELECT rule_id, value, baseline, lower, upper, state FROM alert_evaluations WHERE tenant_id = $1 AND window_end = $2 ORDER BY rule_id',
      [tenant.id, windowEnd],
    );
    expect(rows.map((row) => [row.rule_id, row.state])).toEqual([
      [rules[0]!.id, 'firing'],
      [rules[1]!.id, 'ok'],
    ]);
    const [judged] = rows;
    expect(judged!.value).toBe(400);
    expect(judged!.baseline).toBeGreaterThan(94);
    expect(judged!.baseline).toBeLessThan(106);
    expect(judged!.lower).toBeLessThan(judged!.baseline);
    expect(judged!.upper).toBeGreaterThan(judged!.baseline);
    expect(judged!.upper).toBeLessThan(400);
  });
});
