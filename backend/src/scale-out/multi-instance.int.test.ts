import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TSummaryResponse } from '@pulse/shared/analytics';
import type { TIngestBatchResponse } from '@pulse/shared/ingest';
import type { TLiveDelta } from '@pulse/shared/live';
import type { TCacheStats } from '@pulse/shared/system';
import { percentile } from '../infra/load/percentile.ts';
import { openSse, type SseStream } from '../infra/sse/sse-reader.ts';
import type { Runtime } from '../runtime.ts';
import '../test/provided-context.ts';
import { bearer, callTrpc } from '../test/trpc-http.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant } from '../test/test-tenant.ts';
import { useThrowawayCluster } from '../test/throwaway-redis.ts';

// Three real server processes share this run's PostgreSQL and one Redis (a single server, then a 3-master
// cluster): what a user sees must not depend on which instance answers. Limits hold in total, a commit on one
// instance retires the others' cached answers within 50 ms, live subscribers hear every instance, and what one
// instance spooled during an outage is stored once, however many instances drain.
const INSTANCES = 3;
const INGEST_LIMIT = 30;
const DRAIN_INTERVAL_MS = 100;
const HOUR_MS = 3_600_000;

const cluster = useThrowawayCluster();
let runtime: Runtime;

beforeAll(async () => {
  runtime = await startTestRuntime();
});

afterAll(async () => {
  await runtime?.close();
});

async function query<T>(server: ServerProcess, procedure: string, key: string, input?: unknown): Promise<T> {
  const answer = await callTrpc<T>(server.url, procedure, 'query', input, bearer(key));
  if (answer.status !== 200) throw new Error(`${procedure} answered ${answer.status}: ${answer.error?.message}`);
  return answer.data!;
}

const mutate = (server: ServerProcess, procedure: string, key: string, input?: unknown) => callTrpc(server.url, procedure, 'mutation', input, bearer(key));

/** A Segment batch of one track event per message id; the answer is the ingest response itself. */
async function sendBatch(server: ServerProcess, ingestKey: string, messageIds: string[]): Promise<{ status: number; body: TIngestBatchResponse }> {
  const response = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ batch: messageIds.map((messageId) => ({ type: 'track', event: 'scale-out', userId: 'u1', messageId })) }),
  });
  return { status: response.status, body: (await response.json()) as TIngestBatchResponse };
}

const subscribeLive = (server: ServerProcess, readKey: string, input: { lastEventId?: string } = {}): Promise<SseStream> =>
  openSse(`${server.url}/trpc/analytics.live?input=${encodeURIComponent(JSON.stringify(input))}`, { authorization: `Bearer ${readKey}` });

const messageIdsOf = (delta: TLiveDelta) => delta.events.map((event) => event.messageId).sort();

/** Stored rows per message id of a tenant. */
async function storedRows(tenantId: number): Promise<Map<string, number>> {
  const { rows } = await runtime.pool.query<{ message_id: string; n: number }>(
    'SELECT message_id, count(*)::int AS n FROM events WHERE tenant_id = $1 GROUP BY message_id',
    [tenantId],
  );
  return new Map(rows.map((row) => [row.message_id, row.n]));
}

/** One sample of an instance's Prometheus metrics, e.g. `pulse_spool_handled_total{outcome="replayed"}`. */
async function metric(server: ServerProcess, sample: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  if (line === undefined) throw new Error(`${server.url}/metrics has no ${sample}`);
  return Number(line.slice(sample.length + 1));
}

const spoolDepth = (server: ServerProcess) => metric(server, 'pulse_spool_depth');
const spoolHandled = (server: ServerProcess, outcome: 'replayed' | 'dead_lettered') => metric(server, `pulse_spool_handled_total{outcome="${outcome}"}`);

describe.each<[string, () => Record<string, string | undefined>]>([
  ['one Redis server', () => ({ REDIS_URL: inject('redisUrl'), REDIS_CLUSTER_NODES: undefined })],
  ['a 3-master Redis Cluster', () => ({ REDIS_URL: undefined, REDIS_CLUSTER_NODES: cluster.seedNodes })],
])(`${INSTANCES} server processes sharing PostgreSQL and %s`, (_name, redisEnv) => {
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    const env = {
      ...redisEnv(),
      DATABASE_URL: inject('databaseUrl'),
      REDIS_KEY_PREFIX: `pulse-scale:${randomBytes(4).toString('hex')}:`,
      DB_POOL_SIZE: '4',
      RATE_LIMITS: JSON.stringify({ pro: { ingest: INGEST_LIMIT } }),
      RATE_LIMIT_INSTANCES: String(INSTANCES),
      // Answers over the last hour stay fresh far longer than the test: only an invalidation can retire them.
      CACHE_LIVE_TTL_SECONDS: '600',
      FAULT_INJECTION: 'true',
      SPOOL_DRAIN_INTERVAL_MS: String(DRAIN_INTERVAL_MS),
      // Breakers opened by the outage probe again soon after it ends.
      BREAKER_RESET_TIMEOUT_MS: '300',
      // Bursts on a busy 2-core test machine must meet the rate limit, not load shedding.
      SHED_EVENT_LOOP_DELAY_MS: '60000',
      LOG_LEVEL: 'info',
    };
    servers = await Promise.all(Array.from({ length: INSTANCES }, () => startServerProcess(env)));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it(`lets a key ingest exactly ${INGEST_LIMIT} events a minute in total, whichever instances take them`, async () => {
    const tenant = await createTestTenant(runtime, 'scale-limit');
    const answers = await Promise.all(
      Array.from({ length: INGEST_LIMIT + 15 }, (_, i) => sendBatch(servers[i % INSTANCES]!, tenant.keys.ingest, [`limited-${i}`])),
    );
    const statuses = answers.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
    expect(statuses).toEqual({ 200: INGEST_LIMIT, 429: 15 });
    expect((await storedRows(tenant.id)).size).toBe(INGEST_LIMIT);
  });

  it("retires the other instances' cached answers within 50 ms of a commit", async ({ annotate }) => {
    const tenant = await createTestTenant(runtime, 'scale-cache');
    const [a, ...readers] = servers as [ServerProcess, ...ServerProcess[]];
    const range = { from: new Date(Date.now() - HOUR_MS).toISOString(), to: new Date(Date.now() + HOUR_MS).toISOString() };
    const summaryFrom = (server: ServerProcess) => query<TSummaryResponse>(server, 'analytics.summary', tenant.keys.read, range);
    const l1HitsOf = async (server: ServerProcess) => (await query<TCacheStats>(server, 'system.cacheStats', tenant.keys.read)).counters.l1Hits;
    /** Asks `reader` as fast as it answers until the answer changes; when the asking started. */
    const firstChangedAnswer = async (reader: ServerProcess, stale: number, ackedAt: number) => {
      for (;;) {
        const sentAt = Date.now();
        const answer = await summaryFrom(reader);
        if (answer.totalEvents !== stale) return { answer, sentAt };
        if (sentAt - ackedAt > 1_000) throw new Error(`${reader.url} still served ${stale} events 1 s after the commit`);
      }
    };
    // Only to learn when each commit happened (committedAt); read from the log's start, so none is missed.
    const commits = await subscribeLive(a, tenant.keys.read, { lastEventId: '0-0' });
    const fromCommit: number[] = [];
    const fromAck: number[] = [];
    try {
      for (let committed = 0; committed < 6; committed += 1) {
        for (const reader of readers) {
          await summaryFrom(reader);
          const l1Hits = await l1HitsOf(reader);
          // Cached in the reader's own memory (L1): a hit that its L1 counted.
          expect(await summaryFrom(reader)).toMatchObject({ totalEvents: committed, cache: { hit: true } });
          expect(await l1HitsOf(reader)).toBe(l1Hits + 1);
        }

        expect((await sendBatch(a, tenant.keys.ingest, [`cached-${committed}`])).body).toMatchObject({ accepted: 1 });
        const ackedAt = Date.now();
        const fresh = await Promise.all(readers.map((reader) => firstChangedAnswer(reader, committed, ackedAt)));
        // From the commit (same machine's clock): A publishes the invalidation before it acknowledges, so the ack would flatter it.
        const committedAt = Date.parse((JSON.parse((await commits.next()).data) as TLiveDelta).committedAt);
        for (const { answer, sentAt } of fresh) {
          expect(answer.totalEvents).toBe(committed + 1);
          fromCommit.push(sentAt - committedAt);
          fromAck.push(sentAt - ackedAt);
        }
      }
    } finally {
      commits.close();
    }
    await annotate(`ms from the commit on A to the first fresh answer of B and C: ${fromCommit.join(', ')} (from A's ack: ${fromAck.join(', ')})`);
    // The median, not every round: one round slowed by a busy 2-core machine must not fail; a lost invalidation (600 s TTL) would.
    expect(percentile(fromCommit, 50)).toBeLessThan(50);
    expect(Math.max(...fromCommit)).toBeLessThan(1_000);
  });

  it("delivers to live subscribers on one instance what others ingest, and nothing of it to another tenant's", async () => {
    const [tenant, otherTenant] = await Promise.all([createTestTenant(runtime, 'scale-live'), createTestTenant(runtime, 'scale-live-other')]);
    const [a, b, c] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const mine = await subscribeLive(b, tenant.keys.read);
    const theirs = await subscribeLive(b, otherTenant.keys.read);
    try {
      // No wait: a stream's headers go out once it is subscribed, so nothing committed after them is missed.
      for (const [through, messageIds] of [
        [a, ['live-a1', 'live-a2']],
        [c, ['live-c1']],
      ] as const) {
        expect((await sendBatch(through, tenant.keys.ingest, [...messageIds])).body).toMatchObject({ accepted: messageIds.length });
        expect(messageIdsOf(JSON.parse((await mine.next()).data) as TLiveDelta)).toEqual(messageIds);
      }
      // The other tenant's first message is its own commit, made after B had delivered all of the above: nothing of it leaked.
      await sendBatch(a, otherTenant.keys.ingest, ['other-1']);
      expect(messageIdsOf(JSON.parse((await theirs.next()).data) as TLiveDelta)).toEqual(['other-1']);
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('stores what was spooled during a database outage once, replayed once in total however many instances drain', async ({ annotate }) => {
    const tenant = await createTestTenant(runtime, 'scale-spool');
    const [a] = servers as [ServerProcess];
    const replayedBefore = await Promise.all(servers.map((server) => spoolHandled(server, 'replayed')));
    // The outage hits every instance: nobody drains while it lasts, and all drainers race for the spool when it ends.
    for (const server of servers) {
      const outage = await mutate(server, 'system.injectFault', tenant.keys.admin, { target: 'postgres-write', outage: true, durationSeconds: 60 });
      expect(outage.status).toBe(200);
    }
    const batches = Array.from({ length: 6 }, (_, i) => [`spooled-${i}-a`, `spooled-${i}-b`]);
    for (const messageIds of batches) {
      expect(await sendBatch(a, tenant.keys.ingest, messageIds)).toMatchObject({ status: 200, body: { accepted: 0, queued: 2 } });
    }
    // The database comes back slow: a drain pass outlasts several drain intervals, so every drainer tries during it.
    const slow = await Promise.all(
      servers.map((server) => mutate(server, 'system.injectFault', tenant.keys.admin, { target: 'postgres-write', latencyMs: 300, durationSeconds: 10 })),
    );
    expect(slow.map((answer) => answer.status)).toEqual(servers.map(() => 200));

    const acknowledged = batches.flat();
    await expect.poll(async () => (await storedRows(tenant.id)).size, { timeout: 10_000, interval: 50 }).toBe(acknowledged.length);
    await expect.poll(() => Promise.all(servers.map(spoolDepth)), { timeout: 5_000, interval: 50 }).toEqual(servers.map(() => 0));
    // A marker spooled after the rest: drain passes run one at a time, so once a later pass has replayed it, a
    // second replay of anything before it would already show.
    await mutate(a, 'system.clearFaults', tenant.keys.admin);
    expect((await mutate(a, 'system.injectFault', tenant.keys.admin, { target: 'postgres-write', outage: true, durationSeconds: 60 })).status).toBe(200);
    expect(await sendBatch(a, tenant.keys.ingest, ['spool-marker'])).toMatchObject({ status: 200, body: { accepted: 0, queued: 1 } });
    await mutate(a, 'system.clearFaults', tenant.keys.admin);
    const replayedSince = () => Promise.all(servers.map(async (server, i) => (await spoolHandled(server, 'replayed')) - replayedBefore[i]!));
    await expect.poll(async () => (await replayedSince()).reduce((sum, count) => sum + count, 0), { timeout: 10_000, interval: 50 }).toBe(batches.length + 1);

    expect(Object.fromEntries(await storedRows(tenant.id))).toEqual(Object.fromEntries([...acknowledged, 'spool-marker'].map((messageId) => [messageId, 1])));
    const replayed = await replayedSince();
    await annotate(`spooled requests replayed per instance: ${replayed.join(', ')}`);
    expect(replayed.reduce((sum, count) => sum + count, 0)).toBe(batches.length + 1);
    expect(await Promise.all(servers.map((server) => spoolHandled(server, 'dead_lettered')))).toEqual(servers.map(() => 0));
    expect(await Promise.all(servers.map(spoolDepth))).toEqual(servers.map(() => 0));
    await Promise.all(servers.map((server) => mutate(server, 'system.clearFaults', tenant.keys.admin)));
  });
});
