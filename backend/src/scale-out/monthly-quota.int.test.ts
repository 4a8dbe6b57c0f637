import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TIngestBatchResponse } from '@pulse/shared/ingest';
import type { TUsageResponse } from '@pulse/shared/usage';
import type { Runtime } from '../runtime.ts';
import '../test/provided-context.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, type TestTenant } from '../test/test-tenant.ts';
import { bearer, callTrpc } from '../test/trpc-http.ts';

// Three real server processes share PostgreSQL and Redis, with a quota of 300 events per 40 s period for the
// pro plan (a month, shortened). Unique events and retries of them arrive at all three at once: exactly the
// quota is stored and acknowledged, the rest get QUOTA_EXCEEDED with the reset on every ingestion route, the
// usage shown is what was stored, a neighbour sharing the instances (and their write batches) is untouched, and
// once the period turns events are taken again.
const INSTANCES = 3;
const QUOTA = 300;
const PERIOD_SECONDS = 40;
/** The burst and the checks after it must fall in one period: they start with at least this much of it left. */
const MIN_PERIOD_LEFT_MS = 25_000;
/** 300 is no multiple of 7: one batch reaches the quota part of the way through. */
const BATCH_EVENTS = 7;
const BATCHES = 60;

let runtime: Runtime;
let servers: ServerProcess[] = [];

beforeAll(async () => {
  runtime = await startTestRuntime();
  const env = {
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: `pulse-quota:${randomBytes(4).toString('hex')}:`,
    DB_POOL_SIZE: '4',
    EVENT_QUOTAS: JSON.stringify({ pro: QUOTA }),
    QUOTA_PERIOD_SECONDS: String(PERIOD_SECONDS),
    // Bursts on a busy 2-core test machine must meet the quota, not load shedding or admission by waiting time.
    SHED_EVENT_LOOP_DELAY_MS: '60000',
    INGEST_MAX_WAIT_MS: '30000',
    LOG_LEVEL: 'warn',
  };
  servers = await Promise.all(Array.from({ length: INSTANCES }, () => startServerProcess(env)));
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await runtime?.close();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: TIngestBatchResponse & { error?: { code: string; message: string } };
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
}

const trackEvent = (messageId: string) => ({ type: 'track', event: 'quota', userId: 'u1', messageId });

/** A Segment batch of one track event per message id. */
const sendBatch = (server: ServerProcess, ingestKey: string, messageIds: string[]) =>
  post(`${server.url}/v1/batch`, { batch: messageIds.map(trackEvent) }, bearer(ingestKey));

async function usage(server: ServerProcess, tenant: TestTenant): Promise<TUsageResponse> {
  const answer = await callTrpc<TUsageResponse>(server.url, 'usage.get', 'query', undefined, bearer(tenant.keys.read));
  if (answer.status !== 200) throw new Error(`usage.get answered ${answer.status}: ${answer.error?.message}`);
  return answer.data!;
}

/** Stored rows per message id of a tenant. */
async function storedRows(tenantId: number): Promise<Map<string, number>> {
  const { rows } = await runtime.pool.query<{ message_id: string; n: number }>(
    'SELECT message_id, count(*)::int AS n FROM events WHERE tenant_id = $1 GROUP BY message_id',
    [tenantId],
  );
  return new Map(rows.map((row) => [row.message_id, row.n]));
}

/** The message ids a 2xx answer acknowledged: every event of its batch that it did not reject. */
function acknowledged(answer: Answer, messageIds: string[]): string[] {
  if (answer.status !== 200) return [];
  const rejected = new Set(answer.body.rejected.map((rejection) => rejection.index));
  return messageIds.filter((_, index) => !rejected.has(index));
}

describe(`${INSTANCES} server processes sharing PostgreSQL and Redis, with a quota of ${QUOTA} events per ${PERIOD_SECONDS} s`, () => {
  it(
    'accept exactly the quota, then refuse with QUOTA_EXCEEDED and the reset on every route until the period turns',
    { timeout: 150_000 },
    async ({ annotate }) => {
      const [tenant, neighbour] = await Promise.all([createTestTenant(runtime, 'quota'), createTestTenant(runtime, 'quota-neighbour')]);
      await expect
        .poll(async () => Date.parse((await usage(servers[0]!, tenant)).resetsAt) - Date.now(), { timeout: PERIOD_SECONDS * 1_000, interval: 250 })
        .toBeGreaterThan(MIN_PERIOD_LEFT_MS);
      const { periodStart, resetsAt } = await usage(servers[0]!, tenant);

      // 420 unique events in batches of 7 through all three instances at once; every fourth batch is sent again
      // at the same time through the next instance (a retry), and the neighbour's 100 events go in between.
      const batches = Array.from({ length: BATCHES }, (_, b) => Array.from({ length: BATCH_EVENTS }, (_, i) => `quota-${b}-${i}`));
      const sends = batches.flatMap((messageIds, b) => [
        { messageIds, through: servers[b % INSTANCES]! },
        ...(b % 4 === 0 ? [{ messageIds, through: servers[(b + 1) % INSTANCES]! }] : []),
      ]);
      const neighbourBatches = Array.from({ length: 20 }, (_, b) => Array.from({ length: 5 }, (_, i) => `neighbour-${b}-${i}`));
      const burstStarted = Date.now();
      const [answers, neighbourAnswers] = await Promise.all([
        Promise.all(sends.map(({ messageIds, through }) => sendBatch(through, tenant.keys.ingest, messageIds))),
        Promise.all(neighbourBatches.map((messageIds, b) => sendBatch(servers[b % INSTANCES]!, neighbour.keys.ingest, messageIds))),
      ]);

      await annotate(`${sends.length + neighbourBatches.length} requests answered in ${Date.now() - burstStarted} ms`);
      const stored = await storedRows(tenant.id);
      expect(stored.size).toBe(QUOTA);
      expect([...stored.values()].every((rows) => rows === 1)).toBe(true);
      expect(answers.reduce((sum, answer) => sum + (answer.body.accepted ?? 0), 0)).toBe(QUOTA);
      // Acknowledged (a 2xx that did not reject it) if and only if stored.
      const acked = new Set(answers.flatMap((answer, i) => acknowledged(answer, sends[i]!.messageIds)));
      expect([...acked].sort()).toEqual([...stored.keys()].sort());

      // Past the quota: whole batches get 429 QUOTA_EXCEEDED, the batch that reached it names its refused events.
      const statuses = answers.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
      expect(Object.keys(statuses).sort()).toEqual(['200', '429']);
      const refusals = answers.filter((answer) => answer.status === 429);
      expect(new Set(refusals.map((answer) => answer.body.error!.code))).toEqual(new Set(['QUOTA_EXCEEDED']));
      const rejections = answers.flatMap((answer) => (answer.status === 200 ? answer.body.rejected : []));
      expect(rejections.length).toBeGreaterThan(0);
      expect(new Set(rejections.map((rejection) => rejection.code))).toEqual(new Set(['QUOTA_EXCEEDED']));
      const message = refusals[0]!.body.error!.message;
      expect(message).toContain(`the pro plan allows ${QUOTA} events per period of ${PERIOD_SECONDS} s`);
      expect(message).toContain(`events are accepted again from ${resetsAt}`);
      expect(new Set([...refusals.map((answer) => answer.body.error!.message), ...rejections.map((rejection) => rejection.message)])).toEqual(
        new Set([message]),
      );
      for (const { retryAfter } of refusals) expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      for (const { retryAfter } of refusals) expect(Number(retryAfter)).toBeLessThanOrEqual(PERIOD_SECONDS);

      // The neighbour shared the instances and their write batches: all of its events stored.
      expect(neighbourAnswers.map((answer) => answer.status)).toEqual(neighbourBatches.map(() => 200));
      expect((await storedRows(neighbour.id)).size).toBe(100);

      // Every instance shows what was stored, in the same period.
      for (const server of servers) {
        expect(await usage(server, tenant)).toEqual({ plan: 'pro', quota: QUOTA, used: QUOTA, periodStart, resetsAt });
        expect(await usage(server, neighbour)).toMatchObject({ used: 100, periodStart });
      }

      // Every ingestion route says the same, with Retry-After; a retry of a stored event is a duplicate, not a refusal.
      const [a, b, c] = servers as [ServerProcess, ServerProcess, ServerProcess];
      const viaTrpc = await callTrpc(a.url, 'events.ingest', 'mutation', { batch: [trackEvent('trpc-late')] }, bearer(tenant.keys.ingest));
      expect(viaTrpc).toMatchObject({ status: 429, error: { message, data: { appCode: 'QUOTA_EXCEEDED', httpStatus: 429 } } });
      expect(Number(viaTrpc.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const basic = { authorization: `Basic ${Buffer.from(`${tenant.keys.ingest}:`).toString('base64')}` };
      const viaSegment = await post(`${b.url}/v1/track`, trackEvent('segment-late'), basic);
      expect(viaSegment).toMatchObject({ status: 429, body: { error: { code: 'QUOTA_EXCEEDED', message } } });
      expect(Number(viaSegment.retryAfter)).toBeGreaterThanOrEqual(1);
      const viaRudderStack = await post(
        `${c.url}/beacon/v1/batch?writeKey=${tenant.keys.ingest}`,
        { batch: [{ ...trackEvent('rudderstack-late'), userId: '', anonymousId: 'anon-1' }] },
        { 'content-type': 'text/plain' },
      );
      expect(viaRudderStack).toMatchObject({ status: 429, body: { error: { code: 'QUOTA_EXCEEDED', message } } });
      expect(Number(viaRudderStack.retryAfter)).toBeGreaterThanOrEqual(1);
      const retry = await sendBatch(c, tenant.keys.ingest, [[...stored.keys()][0]!]);
      expect(retry).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 1, rejected: [] } });
      expect(await sendBatch(a, neighbour.keys.ingest, ['neighbour-late'])).toMatchObject({ status: 200, body: { accepted: 1 } });
      expect(Date.now(), 'the checks above ran past the period they check').toBeLessThan(Date.parse(resetsAt));
      expect((await storedRows(tenant.id)).size).toBe(QUOTA);

      // Once the period turns, events are taken again and counted from zero.
      let attempt = 0;
      await expect
        .poll(async () => (await sendBatch(servers[attempt % INSTANCES]!, tenant.keys.ingest, [`after-reset-${attempt++}`])).status, {
          timeout: PERIOD_SECONDS * 1_000,
          interval: 250,
        })
        .toBe(200);
      const next = await usage(servers[1]!, tenant);
      expect(next).toMatchObject({ quota: QUOTA, used: 1, periodStart: resetsAt });
      expect((await storedRows(tenant.id)).size).toBe(QUOTA + next.used);
    },
  );
});
