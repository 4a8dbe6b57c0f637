import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../config.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { useThrowawayCluster } from '../test/throwaway-redis.ts';
import { createTestTenant, startTestServer, type TestTenant } from '../test/test-tenant.ts';
import type { AppRouter } from '../trpc/app-router.ts';

const DAY_MS = 86_400_000;
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
// A 10-day range that ended 20 days ago, and one that includes today.
const OLD_RANGE = { from: new Date(today - 30 * DAY_MS).toISOString(), to: new Date(today - 20 * DAY_MS).toISOString() };
const CURRENT_RANGE = { from: new Date(today - 2 * DAY_MS).toISOString(), to: new Date(today + DAY_MS).toISOString() };

const cluster = useThrowawayCluster();

describe.each<[string, () => Partial<AppConfig>]>([
  ['Redis', () => ({})],
  ['a 3-master Redis Cluster', () => ({ REDIS_URL: undefined, REDIS_CLUSTER_NODES: cluster.seedNodes })],
])('analytics answers cached on %s', (_name, redisConfig) => {
  let runtime: Runtime;
  let server: { url: string; close(): Promise<void> };
  let tenant: TestTenant;

  const client = (key: string) =>
    createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc`, headers: { authorization: `Bearer ${key}` } })] });

  const ingest = (messageId: string, timestamp: Date) =>
    client(tenant.keys.ingest).events.ingest.mutate({
      batch: [{ type: 'track', event: 'signup', messageId, userId: messageId, timestamp: timestamp.toISOString() }],
    });

  beforeAll(async () => {
    runtime = await startTestRuntime(redisConfig());
    server = await startTestServer(runtime);
    tenant = await createTestTenant(runtime, 'cache');
    await ingest('old-1', new Date(today - 25 * DAY_MS));
    await ingest('today-1', new Date(Date.now() - 60_000));
  });

  afterAll(async () => {
    await server?.close();
    await runtime?.close();
  });

  it('a commit retires only the cached answers over the days it touched', async () => {
    const read = client(tenant.keys.read);
    for (const range of [OLD_RANGE, CURRENT_RANGE]) {
      expect((await read.analytics.summary.query(range)).cache.hit).toBe(false);
      expect((await read.analytics.summary.query(range)).cache.hit).toBe(true);
    }

    await ingest('today-2', new Date(Date.now() - 30_000));

    const old = await read.analytics.summary.query(OLD_RANGE);
    expect(old.cache.hit).toBe(true);
    expect(old.totalEvents).toBe(1);
    const current = await read.analytics.summary.query(CURRENT_RANGE);
    expect(current.cache.hit).toBe(false);
    expect(current.totalEvents).toBe(2);
  });

  it('a late event for an old day retires the answers over that day, and only those', async () => {
    const read = client(tenant.keys.read);
    await read.analytics.summary.query(OLD_RANGE);
    await read.analytics.summary.query(CURRENT_RANGE);
    await ingest('old-late', new Date(today - 22 * DAY_MS));
    expect(await read.analytics.summary.query(OLD_RANGE)).toMatchObject({ totalEvents: 2, cache: { hit: false } });
    expect((await read.analytics.summary.query(CURRENT_RANGE)).cache.hit).toBe(true);
  });

  it('reports its figures through system.cacheStats and /metrics', async () => {
    const stats = await client(tenant.keys.read).system.cacheStats.query();
    expect(stats.counters.loads).toBeGreaterThan(0);
    expect(stats.counters.l1Hits + stats.counters.l2Hits).toBeGreaterThan(0);
    expect(stats.l2).toBe('closed');
    // Every Redis call succeeded: on the cluster, no script touched keys of two hash slots.
    expect(stats.counters.l2Errors).toBe(0);
    expect(stats.l1KeysPerTag.tags).toBeGreaterThan(0);
    expect(stats.l1KeysPerTag.max).toBeGreaterThanOrEqual(1);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^pulse_cache_events_total\{kind="loads"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^pulse_http_request_duration_seconds_count\{route="\/trpc\/analytics.summary",status="2xx"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^pulse_cache_l1_keys_per_tag\{stat="max"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^pulse_breaker_state\{dependency="postgres-write"\} 0$/m);
    expect(metrics).toMatch(/^pulse_breaker_opened_total\{dependency="redis"\} 0$/m);
    expect(metrics).toMatch(/^pulse_events_ingested_total\{outcome="accepted"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^pulse_rate_limited_total\{class="read"\} 0$/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+$/m);
  });
});
