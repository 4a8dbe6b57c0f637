import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, type TestTenant } from '../test/test-tenant.ts';
import { EventRepository, NOT_ENRICHED, type EventRow, type QuotaMetering } from './event-repository.ts';

// The monthly quota is counted where the events are stored: each metered write locks its tenants' usage rows,
// admits what fits, inserts and counts in one transaction. Writes race here on separate connections, as
// flushes of several instances would.

const QUOTA = 50;
let runtime: Runtime;
let events: EventRepository;

beforeAll(async () => {
  runtime = await startTestRuntime({ DB_POOL_SIZE: 8 });
  events = new EventRepository(runtime.pool);
});

afterAll(async () => {
  await runtime?.close();
});

/** Each test counts in a period of its own, so none sees another's usage. */
let periods = 0;
const meteringFor = (periodStart: Date, quota: number | null = QUOTA): QuotaMetering => ({ periodStart, quotaOf: () => quota });
const newPeriod = () => new Date(Date.UTC(2026, 0, 1) + ++periods * 3_600_000);

const row = (tenant: TestTenant, messageId: string): EventRow => ({
  tenantId: tenant.id,
  messageId,
  type: 'track',
  name: 'metered',
  ...NOT_ENRICHED,
  userId: 'u1',
  anonymousId: null,
  sessionId: null,
  path: null,
  referrer: null,
  device: null,
  browser: null,
  country: null,
  properties: {},
  ts: new Date(),
});
const rows = (tenant: TestTenant, prefix: string, count: number) => Array.from({ length: count }, (_, i) => row(tenant, `${prefix}-${i}`));

async function stored(tenant: TestTenant): Promise<number> {
  const {
    rows: [result],
  } = await runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1', [tenant.id]);
  return result!.n;
}

async function used(tenant: TestTenant, periodStart: Date): Promise<number> {
  const {
    rows: [result],
  } = await runtime.pool.query<{ used: string }>('SELECT used FROM event_quota_usage WHERE tenant_id = $1 AND period_start = $2', [tenant.id, periodStart]);
  return Number(result?.used ?? 0);
}

describe('EventRepository.insertMetered', () => {
  it('stores exactly the quota when concurrent writes race for its last events, retries included, and counts what it stored', async () => {
    const tenant = await createTestTenant(runtime, 'metered-race');
    const period = newPeriod();
    // 8 writes of 10 new events each, every other one also carrying 3 of its neighbour's (a retry sent elsewhere).
    const writes = Array.from({ length: 8 }, (_, i) => [...rows(tenant, `w${i}`, 10), ...(i % 2 ? rows(tenant, `w${i - 1}`, 3) : [])]);
    const results = await Promise.all(writes.map((batch) => events.insertMetered(batch, meteringFor(period))));
    const storedKeys = results.flatMap((result) => [...result.stored]);
    const refusedKeys = new Set(results.flatMap((result) => [...result.refused.keys()]));
    expect(storedKeys).toHaveLength(QUOTA);
    expect(new Set(storedKeys).size).toBe(QUOTA);
    expect(await stored(tenant)).toBe(QUOTA);
    expect(await used(tenant, period)).toBe(QUOTA);
    // Each of the 80 distinct events was either stored or refused, never both.
    expect(storedKeys.filter((key) => refusedKeys.has(key))).toEqual([]);
    expect(storedKeys.length + refusedKeys.size).toBe(80);
    expect(results.flatMap((result) => [...result.refused.values()])[0]).toEqual({ plan: 'pro', quota: QUOTA, periodStart: period });
  });

  it('takes retries of stored events as duplicates, never as refusals or usage, once the quota is spent', async () => {
    const tenant = await createTestTenant(runtime, 'metered-retry');
    const period = newPeriod();
    const first = rows(tenant, 'first', QUOTA);
    expect((await events.insertMetered(first, meteringFor(period))).stored.size).toBe(QUOTA);
    const retry = await events.insertMetered([...first.slice(0, 5), row(tenant, 'one-more')], meteringFor(period));
    expect(retry.stored.size).toBe(0);
    expect([...retry.refused.keys()]).toEqual([`${tenant.id}:one-more`]);
    expect(await used(tenant, period)).toBe(QUOTA);
  });

  it('refuses only the rows of a tenant past its quota in a write it shares with others', async () => {
    const [full, other] = await Promise.all([createTestTenant(runtime, 'metered-full'), createTestTenant(runtime, 'metered-other')]);
    const period = newPeriod();
    await events.insertMetered(rows(full, 'before', QUOTA), meteringFor(period));
    const shared = await events.insertMetered([...rows(full, 'after', 20), ...rows(other, 'beside', 20)], meteringFor(period));
    expect(shared.refused.size).toBe(20);
    expect([...shared.refused.keys()].every((key) => key.startsWith(`${full.id}:`))).toBe(true);
    expect(shared.stored.size).toBe(20);
    expect(await stored(other)).toBe(20);
    expect([await used(full, period), await used(other, period)]).toEqual([QUOTA, 20]);
  });

  it('stores and counts spooled events past the quota (they were acknowledged), and a new period starts from zero', async () => {
    const tenant = await createTestTenant(runtime, 'metered-spool');
    const period = newPeriod();
    await events.insertMetered(rows(tenant, 'live', QUOTA), meteringFor(period));
    const replay = await events.insertMetered(rows(tenant, 'spooled', 10), { periodStart: period, quotaOf: null });
    expect([replay.stored.size, replay.refused.size]).toEqual([10, 0]);
    expect(await used(tenant, period)).toBe(QUOTA + 10);
    const next = newPeriod();
    expect((await events.insertMetered(rows(tenant, 'next', 5), meteringFor(next))).stored.size).toBe(5);
    expect(await used(tenant, next)).toBe(5);
  });
});
