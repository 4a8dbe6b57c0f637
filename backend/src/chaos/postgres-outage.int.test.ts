import { afterAll, beforeAll, expect, it } from 'vitest';
import { ZHealth, type THealth } from '@pulse/shared/system';
import type { Runtime } from '../runtime.ts';
import type { ServerProcess } from '../test/server-process.ts';
import type { TcpProxy } from '../test/tcp-proxy.ts';
import { startChaosServer, type ChaosServer } from '../test/chaos-server.ts';
import type { TestTenant } from '../test/test-tenant.ts';

// PostgreSQL is cut (a TCP proxy in front of it drops every connection) for several seconds while batches
// keep arriving at a real server process. Every acknowledged event must be in PostgreSQL afterwards, once;
// the write breaker must open within 1 s and close after recovery; reads meanwhile are degraded or refused.

const DAY_MS = 86_400_000;
const CUT_MS = 4_000;
const SENDERS = 4;
const EVENTS_PER_BATCH = 10;

let chaos: ChaosServer;
let runtime: Runtime;
let tenant: TestTenant;
let proxy: TcpProxy;
let server: ServerProcess;

/** Only for pacing: steady senders, and a steady look at the server through the whole cut. */
const paceFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  chaos = await startChaosServer({
    label: 'pg-outage',
    behindProxy: 'postgres',
    env: {
      DB_POOL_SIZE: '4',
      PG_WRITE_TIMEOUT_MS: '1000',
      BREAKER_RESET_TIMEOUT_MS: '1000',
      SPOOL_DRAIN_INTERVAL_MS: '200',
      // Cached answers go stale after a second, so the outage shows what is served once they are. (The live
      // tier too: in the first hour of a UTC day, a range ending at midnight counts as live.)
      CACHE_LIVE_TTL_SECONDS: '1',
      CACHE_LIVE_GRACE_SECONDS: '120',
      CACHE_RECENT_TTL_SECONDS: '1',
      CACHE_RECENT_GRACE_SECONDS: '120',
    },
  });
  ({ runtime, tenant, server } = chaos);
  proxy = chaos.proxy!;
});

afterAll(() => chaos?.close());

async function health(): Promise<THealth> {
  return ZHealth.parse(await (await fetch(`${server.url}/health/ready`)).json());
}

const writeBreaker = (status: THealth) => status.breakers.find((breaker) => breaker.dependency === 'postgres-write')!;

function summaryUrl(days: number): string {
  const to = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  const input = { from: new Date(to.getTime() - days * DAY_MS).toISOString(), to: to.toISOString() };
  return `${server.url}/trpc/analytics.summary?input=${encodeURIComponent(JSON.stringify(input))}`;
}

async function readSummary(days: number) {
  const response = await fetch(summaryUrl(days), { headers: { authorization: `Bearer ${tenant.keys.read}` } });
  const body = (await response.json()) as {
    result?: { data: { totalEvents: number; cache: { hit: boolean }; degraded?: { reason: string; dataAgeMs?: number } } };
    error?: { message: string };
  };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

/** Sends batches of new events until stopped; remembers which message ids were acknowledged (2xx). */
function sendContinuously(sender: number, acknowledged: Set<string>, outcomes: Map<number, number>, isStopped: () => boolean): Promise<void> {
  return (async () => {
    for (let seq = 0; !isStopped(); seq += 1) {
      const batch = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => ({
        type: 'track',
        event: 'chaos',
        userId: `u${i}`,
        messageId: `pg-outage-${sender}-${seq}-${i}`,
      }));
      const response = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': tenant.keys.ingest },
        body: JSON.stringify({ batch }),
      });
      await response.arrayBuffer();
      outcomes.set(response.status, (outcomes.get(response.status) ?? 0) + 1);
      if (response.ok) for (const event of batch) acknowledged.add(event.messageId);
      // Steady senders, not as fast as the server answers.
      await paceFor(10);
    }
  })();
}

it('keeps every acknowledged event through a PostgreSQL outage, opens and closes the write breaker, and never makes up answers', async () => {
  // Yesterday's events, and a cached answer over them from before the outage.
  await runtime.services.eventIngest.ingest(tenant, {
    batch: Array.from({ length: 20 }, (_, i) => ({
      type: 'track',
      event: 'before',
      userId: `b${i}`,
      messageId: `before-${i}`,
      timestamp: new Date(Date.now() - DAY_MS).toISOString(),
    })),
  });
  const warm = await readSummary(7);
  expect(warm.status).toBe(200);
  expect(warm.body.result!.data.totalEvents).toBe(20);

  const acknowledged = new Set<string>();
  const outcomes = new Map<number, number>();
  let stopped = false;
  const senders = Array.from({ length: SENDERS }, (_, sender) => sendContinuously(sender, acknowledged, outcomes, () => stopped));
  // Ingestion is flowing before the cut: batches are being acknowledged.
  await expect.poll(() => outcomes.get(200) ?? 0, { timeout: 15_000, interval: 20 }).toBeGreaterThanOrEqual(2 * SENDERS);

  const cutAt = Date.now();
  proxy.cut();
  let breakerSeenOpenAt: number | null = null;
  const reads: Array<Awaited<ReturnType<typeof readSummary>>> = [];
  while (Date.now() - cutAt < CUT_MS) {
    const status = await health();
    if (breakerSeenOpenAt === null && writeBreaker(status).opened > 0) breakerSeenOpenAt = Date.now();
    reads.push(await readSummary(7), await readSummary(8));
    // A steady look at the server through the whole cut.
    await paceFor(100);
  }
  proxy.restore();
  const acknowledgedDuringCut = acknowledged.size;
  // Senders keep going through the recovery, until the write breaker has closed again.
  await expect.poll(async () => writeBreaker(await health()).state, { timeout: 20_000, interval: 200 }).toBe('closed');
  stopped = true;
  await Promise.all(senders);

  // The spool drains and the breaker stays closed once PostgreSQL is back.
  await expect
    .poll(
      async () => {
        const after = await health();
        return { spoolDepth: after.spool?.depth, writeBreaker: writeBreaker(after).state };
      },
      { timeout: 20_000, interval: 200 },
    )
    .toEqual({ spoolDepth: 0, writeBreaker: 'closed' });
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  expect(metrics).toMatch(/^pulse_breaker_opened_total\{dependency="postgres-write"\} [1-9]\d*$/m);
  expect(metrics).toMatch(/^pulse_spool_depth 0$/m);

  // The write breaker opened within a second of the cut.
  expect(breakerSeenOpenAt).not.toBeNull();
  expect(breakerSeenOpenAt! - cutAt).toBeLessThan(1_000);

  // Every acknowledged event is stored, exactly once; only 2xx and 503 were answered.
  expect([...outcomes.keys()].every((status) => status === 200 || status === 503)).toBe(true);
  expect(acknowledgedDuringCut).toBeGreaterThan(0);
  const { rows } = await runtime.pool.query<{ message_id: string; copies: number }>(
    `SELECT message_id, count(*)::int AS copies FROM events WHERE tenant_id = $1 AND name = 'chaos' GROUP BY message_id`,
    [tenant.id],
  );
  const stored = new Map(rows.map((row) => [row.message_id, row.copies]));
  const missing = [...acknowledged].filter((id) => !stored.has(id));
  expect(missing).toEqual([]);
  expect(rows.filter((row) => row.copies > 1)).toEqual([]);

  // Reads during the outage: the cached answer, marked degraded once it went stale, or a clear 503; never zeros.
  for (const read of reads) {
    if (read.status === 200) {
      expect(read.body.result!.data.totalEvents).toBe(20);
      expect(read.body.result!.data.cache.hit).toBe(true);
    } else {
      expect(read.status).toBe(503);
      expect(read.retryAfter).toMatch(/^\d+$/);
      expect(read.body.error!.message).toMatch(/database is unavailable/);
    }
  }
  expect(reads.some((read) => read.body.result?.data.degraded?.reason === 'database-unavailable')).toBe(true);
  expect(reads.some((read) => read.status === 503)).toBe(true);
}, 60_000);
