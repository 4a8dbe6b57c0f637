import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventPartitions } from '../infra/db/event-partitions.ts';
import { EventRepository, NOT_ENRICHED, type EventRow } from '../repositories/event-repository.ts';
import { RetentionRepository } from '../repositories/retention-repository.ts';
import { TenantRepository } from '../repositories/tenant-repository.ts';
import type { Runtime } from '../runtime.ts';
import { rollupDisagreements } from '../test/rollup-consistency.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { RetentionService } from './retention-service.ts';

const DAY_MS = 86_400_000;
let runtime: Runtime;

beforeAll(async () => {
  runtime = await startTestRuntime();
});

afterAll(async () => {
  await runtime?.close();
});

const event = (tenantId: number, messageId: string, daysAgo: number): EventRow => ({
  tenantId,
  messageId,
  type: 'page',
  name: 'page_view',
  userId: 'u',
  anonymousId: null,
  sessionId: 's',
  path: '/',
  referrer: null,
  device: 'desktop',
  browser: 'Chrome',
  country: 'US',
  ...NOT_ENRICHED,
  properties: {},
  ts: new Date(Date.now() - daysAgo * DAY_MS),
});

it("keeps each tenant's events for its plan's retention and no longer, rollups included", async () => {
  const tenants = new TenantRepository(runtime.prisma);
  const suffix = Date.now().toString(36);
  const free = await tenants.create({ slug: `retention-free-${suffix}`, name: 'Free', plan: 'free' });
  const pro = await tenants.create({ slug: `retention-pro-${suffix}`, name: 'Pro', plan: 'pro' });
  const partitions = new EventPartitions(runtime.pool);
  await partitions.ensureDays(new Date(Date.now() - 60 * DAY_MS), new Date());
  await new EventRepository(runtime.pool).insertMany([
    event(free.id, 'free-recent', 10),
    event(free.id, 'free-old', 45),
    { ...event(free.id, 'free-old-other-visitor', 45), userId: 'gone', sessionId: 'gone-session' },
    event(pro.id, 'pro-old', 45),
    event(pro.id, 'pro-ancient', 120),
  ]);

  // Other test files start runtimes on the same database meanwhile, and each runs retention at start: one of
  // those may delete these events first, so what is checked is what remains, not this run's count.
  await new RetentionService(tenants, new RetentionRepository(runtime.pool), partitions).enforce();

  const { rows } = await runtime.pool.query('SELECT message_id FROM events WHERE tenant_id = ANY($1) ORDER BY message_id', [[free.id, pro.id]]);
  expect(rows.map((row) => row.message_id)).toEqual(['free-recent', 'pro-old']);
  // The exactly-once keys went with their events, and only those.
  const keys = await runtime.pool.query(
    `SELECT e.message_id FROM event_message_keys k LEFT JOIN events e ON e.tenant_id = k.tenant_id AND md5(e.message_id)::uuid = k.message_key
      WHERE k.tenant_id = ANY($1) ORDER BY 1`,
    [[free.id, pro.id]],
  );
  expect(keys.rows.map((row) => row.message_id)).toEqual(['free-recent', 'pro-old']);
  expect(await rollupDisagreements(runtime.pool, free.id)).toEqual([]);
  // The retained event's minute is past the minutes' two days; its quarter-hour, hour and day stay.
  const rollups = await runtime.pool.query(
    `SELECT (SELECT count(*)::int FROM rollup_minute WHERE tenant_id = $1) AS minutes,
            (SELECT sum(count)::int FROM rollup_quarter_hour WHERE tenant_id = $1) AS quarter_hours,
            (SELECT sum(count)::int FROM rollup_hour WHERE tenant_id = $1) AS hours`,
    [free.id],
  );
  expect(rollups.rows[0]).toEqual({ minutes: 0, quarter_hours: 1, hours: 1 });
  // Visitors and sessions seen on no retained day no longer hold an ordinal.
  const ordinals = await runtime.pool.query('SELECT kind, hash FROM unique_ordinals WHERE tenant_id = $1 ORDER BY kind', [free.id]);
  expect(ordinals.rows).toEqual([
    { kind: 'session', hash: expect.any(String) },
    { kind: 'visitor', hash: expect.any(String) },
  ]);
  expect(await rollupDisagreements(runtime.pool, pro.id)).toEqual([]);
});

it("keeps a tenant's own, shorter retention, and its audit log no longer than its events", async () => {
  const tenants = new TenantRepository(runtime.prisma);
  const tenant = await tenants.create({ slug: `retention-own-${Date.now().toString(36)}`, name: 'Own', plan: 'pro' });
  await runtime.services.tenantSettings.setRetention(tenant.id, 20);
  const partitions = new EventPartitions(runtime.pool);
  await partitions.ensureDays(new Date(Date.now() - 60 * DAY_MS), new Date());
  await new EventRepository(runtime.pool).insertMany([event(tenant.id, 'own-recent', 10), event(tenant.id, 'own-old', 30)]);
  await runtime.prisma.auditEntry.createMany({
    data: [10, 30].map((daysAgo) => ({
      tenantId: tenant.id,
      at: new Date(Date.now() - daysAgo * DAY_MS),
      actorKind: 'operator',
      actor: 'operator',
      action: `${daysAgo} days ago`,
      target: '',
    })),
  });

  await new RetentionService(tenants, new RetentionRepository(runtime.pool), partitions).enforce();

  const { rows } = await runtime.pool.query('SELECT message_id FROM events WHERE tenant_id = $1', [tenant.id]);
  expect(rows.map((row) => row.message_id)).toEqual(['own-recent']);
  expect((await runtime.services.audit.list(tenant.id, 10)).entries.map((entry) => entry.action)).toEqual(['10 days ago']);
  await expect(runtime.services.tenantSettings.setRetention(tenant.id, 91)).rejects.toThrow(/the pro plan keeps data for at most 90 days/);
});
