import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventPartitions } from '../infra/db/event-partitions.ts';
import { EventRepository, NOT_ENRICHED, type EventRow } from '../repositories/event-repository.ts';
import { RetentionRepository } from '../repositories/retention-repository.ts';
import { ValueRollupRepository } from '../repositories/value-rollup-repository.ts';
import { MAX_KEYS_PER_DAY, MAX_VALUES_PER_KEY } from '../repositories/value-rollup-sql.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant } from '../test/test-tenant.ts';
import { ValueRollupBuilder } from './value-rollup-builder.ts';

// How value rollups stay true to the raw rows: which days get built, what a flush racing a build does, which
// property keys are rolled up, and that retention takes them with the days. (Whether answers read from them are
// exact is filtered-analytics.int.test.ts's question.)
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
// Eleven to nine days ago: closed, inside every plan's retention.
const days = [11, 10, 9].map((ago) => new Date(today - ago * DAY_MS));
let runtime: Runtime;
let valueRollups: ValueRollupRepository;

beforeAll(async () => {
  runtime = await startTestRuntime();
  valueRollups = new ValueRollupRepository(runtime.pool);
  await new EventPartitions(runtime.pool).ensureDays(days[0]!, new Date(today + DAY_MS));
});

afterAll(async () => {
  await runtime?.close();
});

function event(tenantId: number, id: string, ts: Date, properties: Record<string, unknown> = {}): EventRow {
  return {
    tenantId,
    messageId: id,
    type: 'track',
    name: 'signup',
    userId: null,
    anonymousId: `a-${id}`,
    sessionId: `s-${id}`,
    path: '/pricing',
    referrer: null,
    device: 'desktop',
    browser: 'Chrome',
    country: 'DE',
    ...NOT_ENRICHED,
    properties,
    ts,
  };
}

const write = (rows: EventRow[]) => new EventRepository(runtime.pool).insertMany(rows);
const range = { from: days[0]!, to: new Date(today + DAY_MS) };

describe('the value rollup builder', () => {
  it('builds closed days only, newest first, a bounded number per run', async () => {
    const tenant = await createTestTenant(runtime, 'value-rollup-days');
    const now = new Date();
    await write([...days, new Date(today)].map((day, i) => event(tenant.id, `d${i}`, new Date(day.getTime() + HOUR_MS))));
    const builtOrder: Date[] = [];
    const builder = new ValueRollupBuilder(valueRollups, { closedAfterMs: 5 * 60_000, rebuildAfterMs: 0, maxDaysPerRun: 2, tenantId: tenant.id });
    const first = await builder.run(now, (day) => builtOrder.push(day.day));
    expect(first).toEqual({ built: 2, busy: 0, changed: 0, pending: true });
    const second = await builder.run(now, (day) => builtOrder.push(day.day));
    expect(second).toMatchObject({ built: 1, pending: false });
    expect(builtOrder).toEqual([days[2], days[1], days[0]]);
    // Today is still being written to: raw rows answer it.
    expect(await valueRollups.coveredDays(tenant.id, range, 'country')).toEqual(days);
  });

  it('a build that starts while a flush of its day is open waits for it and includes its events', async () => {
    const tenant = await createTestTenant(runtime, 'value-rollup-open-flush');
    const day = days[1]!;
    await write([event(tenant.id, 'first', new Date(day.getTime() + HOUR_MS))]);
    const flush = await runtime.pool.connect();
    try {
      await flush.query('BEGIN');
      await new EventRepository(flush as unknown as pg.Pool).insertMany([event(tenant.id, 'open', new Date(day.getTime() + 2 * HOUR_MS))]);
      const build = valueRollups.buildDay({ tenantId: tenant.id, day });
      await vi.waitFor(async () => expect(await blocksAnother(flush)).toBe(true), { timeout: 10_000, interval: 20 });
      await flush.query('COMMIT');
      expect(await build).toBe('built');
    } finally {
      flush.release();
    }
    expect(await valueRollups.coveredDays(tenant.id, range, 'name')).toEqual([day]);
    expect(await signupCount(tenant.id, day)).toBe(2);
  });

  it('a flush of the day committed after a build read its rows leaves the day stale, and the next build includes it', async () => {
    const tenant = await createTestTenant(runtime, 'value-rollup-race');
    const day = days[1]!;
    await write([event(tenant.id, 'first', new Date(day.getTime() + HOUR_MS))]);
    // Holds the build after it took its snapshot (before it writes its rows) while a flush commits.
    const gate = await runtime.pool.connect();
    try {
      await gate.query('BEGIN');
      await gate.query('LOCK TABLE value_rollup_counts IN EXCLUSIVE MODE');
      const build = valueRollups.buildDay({ tenantId: tenant.id, day });
      await vi.waitFor(async () => expect(await blocksAnother(gate)).toBe(true), { timeout: 10_000, interval: 20 });
      await write([event(tenant.id, 'racing', new Date(day.getTime() + 2 * HOUR_MS))]);
      await gate.query('COMMIT');
      expect(await build).toBe('changed');
    } finally {
      gate.release();
    }
    expect(await valueRollups.coveredDays(tenant.id, range, 'name')).toEqual([]);
    expect(await valueRollups.buildDay({ tenantId: tenant.id, day })).toBe('built');
    expect(await valueRollups.coveredDays(tenant.id, range, 'name')).toEqual([day]);
    expect(await signupCount(tenant.id, day)).toBe(2);
  });

  it('another instance building the same day makes this one skip it', async () => {
    const tenant = await createTestTenant(runtime, 'value-rollup-busy');
    const day = days[0]!;
    await write([event(tenant.id, 'one', new Date(day.getTime() + HOUR_MS))]);
    const other = await runtime.pool.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1, $2)', [tenant.id, day.getTime() / DAY_MS]);
      expect(await valueRollups.buildDay({ tenantId: tenant.id, day })).toBe('busy');
      await other.query('SELECT pg_advisory_unlock($1, $2)', [tenant.id, day.getTime() / DAY_MS]);
    } finally {
      other.release();
    }
    expect(await valueRollups.buildDay({ tenantId: tenant.id, day })).toBe('built');
  });

  it('rolls up the property keys with few, short values; questions on the others read raw rows', async () => {
    const tenant = await createTestTenant(runtime, 'value-rollup-keys');
    const [manyKeysDay, fewKeysDay] = [days[0]!, days[1]!];
    const rows: EventRow[] = [];
    for (let i = 0; i <= MAX_VALUES_PER_KEY; i += 1) {
      rows.push(event(tenant.id, `few-${i}`, new Date(fewKeysDay.getTime() + i * 1000), { plan: i % 2 ? 'pro' : 'free', orderId: `o-${i}` }));
    }
    const manyKeys = Object.fromEntries(Array.from({ length: MAX_KEYS_PER_DAY + 1 }, (_, i) => [`k${i}`, 'x']));
    rows.push(event(tenant.id, 'many', new Date(manyKeysDay.getTime() + HOUR_MS), manyKeys));
    await write(rows);
    for (const day of [manyKeysDay, fewKeysDay]) expect(await valueRollups.buildDay({ tenantId: tenant.id, day })).toBe('built');

    // orderId has a value per event: not rolled up. A key the day never saw is answered as absent only
    // where every key of the day was rolled up.
    expect(await valueRollups.coveredDays(tenant.id, range, 'properties.plan')).toEqual([fewKeysDay]);
    expect(await valueRollups.coveredDays(tenant.id, range, 'properties.orderId')).toEqual([]);
    expect(await valueRollups.coveredDays(tenant.id, range, 'properties.k0')).toEqual([manyKeysDay]);
    expect(await valueRollups.coveredDays(tenant.id, range, 'properties.never')).toEqual([]);
    expect(await valueRollups.coveredDays(tenant.id, range, 'country')).toEqual([manyKeysDay, fewKeysDay]);
  });

  it('retention deletes the rollups of the days it deletes', async () => {
    const tenant = await createTestTenant(runtime, 'value-rollup-retention');
    await write(days.map((day, i) => event(tenant.id, `r${i}`, new Date(day.getTime() + HOUR_MS))));
    for (const day of days) expect(await valueRollups.buildDay({ tenantId: tenant.id, day })).toBe('built');
    await new RetentionRepository(runtime.pool).deleteTenantDataBefore(tenant.id, days[2]!);
    expect(await valueRollups.coveredDays(tenant.id, range, 'country')).toEqual([days[2]]);
    const { rows } = await runtime.pool.query<{ day: Date }>(
      `SELECT DISTINCT day FROM (SELECT day FROM value_rollup_counts WHERE tenant_id = $1 UNION ALL SELECT day FROM value_rollup_bitmaps WHERE tenant_id = $1) rows`,
      [tenant.id],
    );
    expect(rows.map((row) => row.day)).toEqual([days[2]]);
  });
});

/** Whether some other connection waits on a lock this one holds. */
async function blocksAnother(holder: pg.PoolClient): Promise<boolean> {
  const { rows } = await runtime.pool.query<{ waiting: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))) AS waiting`,
    [(holder as unknown as { processID: number }).processID],
  );
  return rows[0]!.waiting;
}

async function signupCount(tenantId: number, day: Date): Promise<number> {
  const { rows } = await runtime.pool.query<{ count: string }>(
    `SELECT coalesce(sum(count), 0) AS count FROM value_rollup_counts WHERE tenant_id = $1 AND day = $2 AND dimension = 'name'`,
    [tenantId, day],
  );
  return Number(rows[0]!.count);
}
