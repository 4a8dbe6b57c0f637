import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRuntime, type Runtime } from './runtime.ts';
import { DEFAULT_SEED } from './services/demo-data-service.ts';
import { testConfig } from './test/test-runtime.ts';

// What ./start.sh does on a machine with only Node.js: no DATABASE_URL, no REDIS_URL.
let dataDir: string;
let runtime: Runtime;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pulse-embedded-'));
  runtime = await startRuntime(testConfig({ DATABASE_URL: undefined, REDIS_URL: undefined, DATA_DIR: dataDir }));
});

afterAll(async () => {
  await runtime?.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('runs on embedded PostgreSQL with in-process cache, limits and pub/sub', () => {
  expect(runtime.mode).toBe('embedded');
  expect(runtime.redis).toBeNull();
  expect(runtime.services.system.systemInfo()).toMatchObject({ mode: 'embedded', database: 'pglite', cache: 'memory' });
  // No Redis, so no Redis breaker on the System page or in the health report.
  expect(runtime.services.health.breakerStatuses().map((breaker) => breaker.dependency)).toEqual(['postgres-read', 'postgres-write']);
});

it('seeds the demo data and answers the summary from it', async () => {
  const now = new Date();
  const seeded = await runtime.services.demoData.seed({ ...DEFAULT_SEED, now });
  expect(seeded.created).toBe(true);
  expect(seeded.events).toBe(10_000);

  const read = seeded.keys.find((key) => key.tenantSlug === 'acme' && key.scope === 'read');
  const principal = await runtime.services.apiKeys.authenticate(read!.key);
  const from = new Date(now.getTime() - 31 * 86_400_000).toISOString();
  const summary = await runtime.services.analytics.summary(principal.tenant.id, { from, to: now.toISOString() });
  expect(summary.totalEvents).toBe(DEFAULT_SEED.eventsPerTenant);
  expect(summary.uniqueUsers).toBe(DEFAULT_SEED.usersPerTenant);
  expect(summary.byType[0]?.name).toBe('page_view');
});

it('keeps the data across a restart (data lives in DATA_DIR)', async () => {
  await runtime.close();
  runtime = await startRuntime(testConfig({ DATABASE_URL: undefined, REDIS_URL: undefined, DATA_DIR: dataDir }));
  const again = await runtime.services.demoData.seed({ ...DEFAULT_SEED, now: new Date() });
  expect(again.created).toBe(false);
});
