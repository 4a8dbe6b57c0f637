import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventRepository, NOT_ENRICHED, type EventRow } from '../../repositories/event-repository.ts';
import { RollupRebuildRepository } from '../../repositories/rollup-rebuild-repository.ts';
import type { Runtime } from '../../runtime.ts';
import { generateDemoEvents } from '../../services/demo-events.ts';
import { rollupDisagreements } from '../../test/rollup-consistency.ts';
import { startTestRuntime } from '../../test/test-runtime.ts';
import { createTestTenant, type TestTenant } from '../../test/test-tenant.ts';
import { EventPartitions, partitionName } from './event-partitions.ts';

const DAY_MS = 86_400_000;
let runtime: Runtime;
let tenant: TestTenant;
let events: EventRepository;
let partitions: EventPartitions;

beforeAll(async () => {
  runtime = await startTestRuntime();
  tenant = await createTestTenant(runtime, 'storage');
  events = new EventRepository(runtime.pool);
  partitions = new EventPartitions(runtime.pool);
});

afterAll(async () => {
  await runtime?.close();
});

async function partitionOf(messageId: string): Promise<string> {
  const { rows } = await runtime.pool.query('SELECT tableoid::regclass::text AS partition FROM events WHERE tenant_id = $1 AND message_id = $2', [
    tenant.id,
    messageId,
  ]);
  return rows[0].partition;
}

const row = (messageId: string, ts: Date, extra: Partial<EventRow> = {}): EventRow => ({
  tenantId: tenant.id,
  messageId,
  type: 'track',
  name: 'signup',
  ...NOT_ENRICHED,
  userId: 'u1',
  anonymousId: null,
  sessionId: 's1',
  path: null,
  referrer: null,
  device: 'desktop',
  browser: 'Firefox',
  country: 'DE',
  properties: {},
  ts,
  ...extra,
});

describe('partitioned storage', () => {
  it('has day partitions from yesterday to three days ahead as soon as the app starts', async () => {
    const names = await partitions.list();
    for (let offset = -1; offset <= 3; offset += 1) {
      expect(names).toContain(partitionName(new Date(Date.now() + offset * DAY_MS)));
    }
    expect(names).toContain('events_default');
  });

  it('puts a straggler in the default partition, then gives its day a partition of its own', async () => {
    // Eighty days ago: outside the partitions made ahead of time and the 60 days other test files give
    // partitions (retention.int.test.ts), inside the tenant's retention (pro: 90 days).
    const longAgo = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 80 * DAY_MS + 3_600_000);
    await events.insertMany([row('straggler', longAgo)]);
    // Another test file's runtime may run the same maintenance at any moment, so it may already have moved.
    expect(['events_default', partitionName(longAgo)]).toContain(await partitionOf('straggler'));

    await partitions.adoptStragglers();
    expect(await partitionOf('straggler')).toBe(partitionName(longAgo));
    expect(await rollupDisagreements(runtime.pool, tenant.id)).toEqual([]);
  });

  it('stores a row that was routed to the default partition while another instance attached its day', async () => {
    // A day no other test file gives a partition (they stay within the last 60 days).
    const day = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 77 * DAY_MS);
    const name = partitionName(day);
    const otherInstance = await runtime.pool.connect();
    try {
      // What EventPartitions.createDay does on another instance, held open just before its commit.
      await otherInstance.query('BEGIN');
      await otherInstance.query(`CREATE TABLE "${name}" (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      await otherInstance.query(
        `ALTER TABLE events ATTACH PARTITION "${name}" FOR VALUES FROM ('${day.toISOString()}') TO ('${new Date(day.getTime() + DAY_MS).toISOString()}')`,
      );
      const insert = events.insertMany([row('raced', new Date(day.getTime() + 5 * 3_600_000))]);
      // The insert has routed its row to events_default and waits for that partition's lock.
      await vi.waitFor(
        async () => {
          const { rows } = await runtime.pool.query<{ waiting: number }>(`SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted`);
          expect(rows[0]!.waiting).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 10 },
      );
      await otherInstance.query('COMMIT');
      expect((await insert).size).toBe(1);
      expect(await partitionOf('raced')).toBe(name);
    } finally {
      otherInstance.release();
    }
  });

  it('never hides a straggler from a read that runs while its day gets a partition', async () => {
    const day = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 83 * DAY_MS);
    await events.insertMany([row('moving', new Date(day.getTime() + 3_600_000))]);
    // Another test file's runtime may adopt it first: then there is nothing left to race, and the test says so.
    expect(await partitionOf('moving')).toBe('events_default');
    const countOf = async () => {
      const { rows } = await runtime.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND message_id = 'moving'`, [
        tenant.id,
      ]);
      return rows[0]!.n;
    };
    const waitingLocks = async () => (await runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted')).rows[0]!.n;
    // A long read holds the default partition, so the adoption stops at its first lock on it…
    const longRead = await runtime.pool.connect();
    try {
      await longRead.query('BEGIN');
      await longRead.query('SELECT count(*) FROM events_default');
      const adoption = partitions.adoptStragglers();
      await vi.waitFor(async () => expect(await waitingLocks()).toBeGreaterThanOrEqual(1), { timeout: 10_000, interval: 10 });
      // …and a read issued now queues behind it: it must see the row once the move is done, wherever it went.
      const readDuringMove = countOf();
      await vi.waitFor(async () => expect(await waitingLocks()).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 10 });
      await longRead.query('COMMIT');
      await adoption;
      expect(await readDuringMove).toBe(1);
      expect(await partitionOf('moving')).toBe(partitionName(day));
    } finally {
      longRead.release();
    }
  });

  it('drops whole partitions of days past retention', async () => {
    await partitions.ensureDays(new Date(Date.UTC(2024, 0, 1)), new Date(Date.UTC(2024, 0, 1)));
    expect(await partitions.list()).toContain('events_p20240101');
    await partitions.dropDaysBefore(new Date(Date.UTC(2024, 0, 2)));
    expect(await partitions.list()).not.toContain('events_p20240101');
  });
});

describe('rollups', () => {
  it('agree with the raw rows after many batches, retries and duplicates within a batch', async () => {
    const now = new Date();
    const rows = generateDemoEvents({ tenantId: tenant.id, tenantSlug: tenant.slug, users: 20, events: 3_000, days: 3, now, seed: 7 });
    await partitions.ensureDays(new Date(now.getTime() - 3 * DAY_MS), now);
    // Overlapping batches (each repeats the end of the last one) with ten ids twice within the batch.
    const seen = new Set<string>();
    for (let start = 0; start < rows.length; start += 250) {
      const batch = rows.slice(start, start + 400);
      const expectedNew = batch.filter((event) => !seen.has(event.messageId)).length;
      for (const event of batch) seen.add(event.messageId);
      const stored = await events.insertMany([...batch, ...batch.slice(0, 10)]);
      expect(stored.size).toBe(expectedNew);
    }
    expect(await rollupDisagreements(runtime.pool, tenant.id)).toEqual([]);
  });

  it('concurrent writers leave rollups exact', async () => {
    const now = new Date();
    const rows = generateDemoEvents({ tenantId: tenant.id, tenantSlug: `${tenant.slug}-c`, users: 5, events: 2_000, days: 1, now, seed: 8 });
    const chunks = Array.from({ length: 8 }, (_, i) => rows.filter((_, index) => index % 8 === i));
    await Promise.all(chunks.map((chunk) => events.insertMany(chunk)));
    expect(await rollupDisagreements(runtime.pool, tenant.id)).toEqual([]);
  });
});

describe('rollup rebuild', () => {
  it('rebuilds rollups from raw rows that match what the ingest path writes', async () => {
    await runtime.pool.query('DELETE FROM rollup_hour WHERE tenant_id = $1', [tenant.id]);
    expect(await rollupDisagreements(runtime.pool, tenant.id)).not.toEqual([]);
    await new RollupRebuildRepository(runtime.pool).rebuildTenant(tenant.id);
    expect(await rollupDisagreements(runtime.pool, tenant.id)).toEqual([]);
  });

  it('rebuilds the visitor and session bitmaps', async () => {
    await runtime.pool.query(`UPDATE unique_bitmaps SET bits = repeat('0', length(bits))::varbit WHERE tenant_id = $1 AND unit = 'day'`, [tenant.id]);
    expect((await rollupDisagreements(runtime.pool, tenant.id)).join('\n')).toContain('unique_bitmaps: only in raw events');
    await new RollupRebuildRepository(runtime.pool).rebuildTenant(tenant.id);
    expect(await rollupDisagreements(runtime.pool, tenant.id)).toEqual([]);
  });
});
