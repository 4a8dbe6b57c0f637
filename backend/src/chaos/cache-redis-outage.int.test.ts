import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { TSummaryResponse } from '@pulse/shared/analytics';
import type { Runtime } from '../runtime.ts';
import '../test/provided-context.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { startTcpProxy, type TcpProxy } from '../test/tcp-proxy.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, type TestTenant } from '../test/test-tenant.ts';
import { bearer, callTrpc } from '../test/trpc-http.ts';

// Three real server processes share this run's PostgreSQL and one Redis, each reaching Redis through a TCP
// proxy of its own. Every instance caches a summary over days three weeks ago (archive tier: fresh for an
// hour, so only an invalidation can retire it); Redis is cut; instance A commits more events over those days
// (stored in PostgreSQL, but its invalidation cannot reach Redis); Redis comes back, first to B and C only,
// then to A. No answer with the pre-outage total may be served from then on, by any instance, even by one
// that reads before A could replay its invalidation.
const DAY_MS = 86_400_000;
const BEFORE = 6;
const DURING = 4;
const OUTAGE_TTL_SECONDS = 1;

let runtime: Runtime;
let tenant: TestTenant;
const proxies: TcpProxy[] = [];
const servers: ServerProcess[] = [];

const firstDay = Math.floor(Date.now() / DAY_MS) * DAY_MS - 21 * DAY_MS;
const range = { from: new Date(firstDay).toISOString(), to: new Date(firstDay + 3 * DAY_MS).toISOString() };

beforeAll(async () => {
  runtime = await startTestRuntime();
  tenant = await createTestTenant(runtime, 'cache-outage');
  const redis = new URL(inject('redisUrl'));
  const prefix = `pulse-cache-outage:${randomBytes(4).toString('hex')}:`;
  for (let i = 0; i < 3; i += 1) {
    const proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    proxies.push(proxy);
    const viaProxy = new URL(redis);
    viaProxy.host = `${proxy.host}:${proxy.port}`;
    servers.push(
      await startServerProcess({
        DATABASE_URL: inject('databaseUrl'),
        REDIS_URL: viaProxy.toString(),
        REDIS_CLUSTER_NODES: undefined,
        REDIS_KEY_PREFIX: prefix,
        CACHE_OUTAGE_TTL_SECONDS: String(OUTAGE_TTL_SECONDS),
        // Breakers opened by the cut probe again soon after it ends.
        BREAKER_RESET_TIMEOUT_MS: '300',
        SHED_EVENT_LOOP_DELAY_MS: '60000',
        // The test reads back to back for seconds to catch any stale answer; the read limit is not what it tests.
        RATE_LIMITS: JSON.stringify({ pro: { read: 1_000_000 } }),
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await runtime?.close();
});

type Summary = TSummaryResponse & { cache: { hit: boolean; stale: boolean }; degraded?: unknown };

async function summary(server: ServerProcess): Promise<Summary> {
  const answer = await callTrpc<Summary>(server.url, 'analytics.summary', 'query', range, bearer(tenant.keys.read));
  if (answer.status !== 200) throw new Error(`${server.url} answered ${answer.status}: ${answer.error?.message}`);
  return answer.data!;
}

async function ingest(server: ServerProcess, label: string, count: number): Promise<void> {
  const batch = Array.from({ length: count }, (_, i) => ({
    type: 'track',
    event: 'cache-outage',
    userId: `u${i}`,
    messageId: `${label}-${i}`,
    timestamp: new Date(firstDay + (i % 3) * DAY_MS + 3_600_000).toISOString(),
  }));
  const response = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(tenant.keys.ingest) },
    body: JSON.stringify({ batch }),
  });
  const body = (await response.json()) as { accepted?: number; queued?: number };
  expect(response.status).toBe(200);
  // Stored, not spooled: PostgreSQL is up, only the invalidation after the commit meets the cut.
  expect(body.accepted).toBe(count);
}

const redisIsUp = async (server: ServerProcess) => {
  const health = (await (await fetch(`${server.url}/health/ready`)).json()) as { checks: { redis: string } };
  return health.checks.redis === 'ok';
};

/** Every answer from `server` over `ms` (at least `reads` of them) must have the new total. */
async function onlyNewTotals(server: ServerProcess, expected: number, reads: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  let count = 0;
  while (count < reads || Date.now() < until) {
    const answer = await summary(server);
    expect(answer.totalEvents, `${server.url}, read ${count} after the restore`).toBe(expected);
    count += 1;
  }
}

it('after a Redis outage every instance answers the new total over the days committed during it, never the old one as fresh', async () => {
  const [a, b, c] = servers as [ServerProcess, ServerProcess, ServerProcess];
  await ingest(a, 'before', BEFORE);
  for (const server of servers) {
    expect((await summary(server)).totalEvents).toBe(BEFORE);
    expect(await summary(server)).toMatchObject({ totalEvents: BEFORE, cache: { hit: true, stale: false } });
  }

  for (const proxy of proxies) proxy.cut();
  await expect.poll(() => Promise.all(servers.map(redisIsUp)), { timeout: 10_000 }).toEqual([false, false, false]);
  const committedAt = Date.now();
  await ingest(a, 'during', DURING);
  const { rows } = await runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1', [tenant.id]);
  expect(rows[0]!.n).toBe(BEFORE + DURING);

  // While Redis is out, B cannot hear A's invalidation: its memory copy may live only CACHE_OUTAGE_TTL_SECONDS.
  await expect.poll(async () => (await summary(b)).totalEvents, { timeout: 10_000, interval: 50 }).toBe(BEFORE + DURING);
  const outageTtlHeldMs = Date.now() - committedAt;

  // Redis returns to B and C while A, which holds the invalidation, still cannot reach it: the L2 holds the
  // pre-outage answer under unchanged generations. B reads at once, then again once it has Redis back.
  proxies[1]!.restore();
  proxies[2]!.restore();
  expect((await summary(b)).totalEvents).toBe(BEFORE + DURING);
  await expect.poll(() => Promise.all([redisIsUp(b), redisIsUp(c)]), { timeout: 10_000 }).toEqual([true, true]);
  await onlyNewTotals(b, BEFORE + DURING, 5, 0);
  await onlyNewTotals(c, BEFORE + DURING, 5, 0);

  // Then to A, which replays; every instance keeps answering the new total, from its cache again.
  proxies[0]!.restore();
  await expect.poll(() => redisIsUp(a), { timeout: 10_000 }).toBe(true);
  for (const server of servers) await onlyNewTotals(server, BEFORE + DURING, 5, 1_500);
  for (const server of servers) {
    let answer = await summary(server);
    for (let reads = 1; !answer.cache.hit && reads < 50; reads += 1) answer = await summary(server);
    expect(answer).toMatchObject({ totalEvents: BEFORE + DURING, cache: { hit: true, stale: false } });
  }
  expect(outageTtlHeldMs).toBeLessThan(OUTAGE_TTL_SECONDS * 1_000 + 5_000);
}, 90_000);
