import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import type { ServerProcess } from '../test/server-process.ts';
import type { TcpProxy } from '../test/tcp-proxy.ts';
import { startChaosServer, type ChaosServer } from '../test/chaos-server.ts';
import { createTestTenant, type TestTenant } from '../test/test-tenant.ts';

// Redis is cut (a TCP proxy in front of it drops every connection) during mixed traffic to a real server
// process: ingestion and reads go on, the read limit is enforced by the in-memory insurance limiter, and no
// request waits on Redis longer than the command timeout.

const DAY_MS = 86_400_000;
const READ_LIMIT = 60;
/** ioredis's commandTimeout (infra/redis/redis-client.ts): the longest any request may wait on Redis. */
const COMMAND_TIMEOUT_MS = 1_000;
const OTHER_WORK_MARGIN_MS = 500;
const CUT_MS = 3_000;

let chaos: ChaosServer;
let runtime: Runtime;
let tenant: TestTenant;
let proxy: TcpProxy;
let server: ServerProcess;

beforeAll(async () => {
  chaos = await startChaosServer({ label: 'redis-outage', behindProxy: 'redis', env: { RATE_LIMITS: JSON.stringify({ pro: { read: READ_LIMIT } }) } });
  ({ runtime, tenant, server } = chaos);
  proxy = chaos.proxy!;
});

afterAll(() => chaos?.close());

interface Outcome {
  kind: 'ingest' | 'read';
  status: number;
  ms: number;
}

async function timed(kind: Outcome['kind'], request: () => Promise<Response>): Promise<Outcome> {
  const started = performance.now();
  const response = await request();
  await response.arrayBuffer();
  return { kind, status: response.status, ms: performance.now() - started };
}

function readSummary(key: string, days: number): Promise<Response> {
  const to = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS);
  const input = { from: new Date(to.getTime() - days * DAY_MS).toISOString(), to: to.toISOString() };
  return fetch(`${server.url}/trpc/analytics.summary?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { authorization: `Bearer ${key}` } });
}

function ingest(messagePrefix: string): Promise<Response> {
  const batch = Array.from({ length: 10 }, (_, i) => ({ type: 'track', event: 'redis-outage', userId: `u${i}`, messageId: `${messagePrefix}-${i}` }));
  return fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': tenant.keys.ingest },
    body: JSON.stringify({ batch }),
  });
}

it('keeps ingesting and answering reads with Redis cut, limits reads in memory, and never waits past the command timeout', async () => {
  // Limits are per tenant: the burst comes from a tenant of its own, so the mixed traffic below keeps its budget.
  const burstKey = (await createTestTenant(runtime, 'redis-burst')).keys.read;
  expect((await timed('read', () => readSummary(tenant.keys.read, 3))).status).toBe(200);

  proxy.cut();
  const cutAt = Date.now();
  const outcomes: Outcome[] = [];
  let sent = 0;
  // Mixed traffic: batches, and reads over ranges the cache has and has not seen (L2 misses go to PostgreSQL).
  while (Date.now() - cutAt < CUT_MS) {
    sent += 1;
    outcomes.push(
      ...(await Promise.all([timed('ingest', () => ingest(`redis-outage-${sent}`)), timed('read', () => readSummary(tenant.keys.read, 1 + (sent % 20)))])),
    );
    // Pacing is the point: steady traffic through the whole cut, not as fast as the server answers.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // A tenant that goes over its read limit while Redis is out: the insurance limiter counts it in memory.
  const burst = await Promise.all(Array.from({ length: READ_LIMIT + 20 }, () => readSummary(burstKey, 3)));
  const healthDuringCut = (await (await fetch(`${server.url}/health/ready`)).json()) as { status: string; checks: { redis: string } };
  proxy.restore();

  expect(healthDuringCut.status).toBe('degraded');
  expect(healthDuringCut.checks.redis).not.toBe('ok');
  expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);
  // A command already on the wire when the connection dropped may wait out the whole timeout; the rest of
  // the request (PostgreSQL, two busy cores) gets a margin. Waiting for Redis to come back would take the cut.
  expect(Math.max(...outcomes.map((outcome) => outcome.ms))).toBeLessThan(COMMAND_TIMEOUT_MS + OTHER_WORK_MARGIN_MS);
  const burstStatuses = burst.map((response) => response.status);
  expect(burstStatuses.filter((status) => status === 200)).toHaveLength(READ_LIMIT);
  expect(burstStatuses.filter((status) => status === 429)).toHaveLength(20);
  const limited = burst.find((response) => response.status === 429)!;
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

  const { rows } = await runtime.pool.query<{ stored: number }>(`SELECT count(*)::int AS stored FROM events WHERE tenant_id = $1 AND name = 'redis-outage'`, [
    tenant.id,
  ]);
  expect(rows[0]!.stored).toBe(sent * 10);
}, 60_000);
