import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisPubSub } from '../infra/pubsub/redis-pubsub.ts';
import { breakerStateChannel } from '../services/cache-keys.ts';
import { connectTestRedis } from '../test/test-redis.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';

const DAY_MS = 86_400_000;

interface Answer {
  status: number;
  ms: number;
  body: { result?: { data: Record<string, unknown> }; error?: { message: string } };
}

function client(server: TestServer) {
  const call = async (path: string, key: string, init: RequestInit = {}): Promise<Answer> => {
    const started = performance.now();
    const response = await fetch(`${server.url}/trpc/${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } });
    return { status: response.status, ms: performance.now() - started, body: (await response.json()) as Answer['body'] };
  };
  return {
    mutate: (path: string, key: string, input?: unknown) => call(path, key, { method: 'POST', body: JSON.stringify(input ?? null) }),
    query: (path: string, key: string, input?: unknown) => call(input === undefined ? path : `${path}?input=${encodeURIComponent(JSON.stringify(input))}`, key),
  };
}

/** A range of whole past days nobody has asked about yet, so the answer is not cached. */
let daysBack = 10;
const freshRange = () => {
  const to = Math.floor(Date.now() / DAY_MS) * DAY_MS - daysBack++ * DAY_MS;
  return { from: new Date(to - DAY_MS).toISOString(), to: new Date(to).toISOString() };
};

describe('with FAULT_INJECTION off (the default)', () => {
  let runtime: Runtime;
  let server: TestServer;
  let tenant: TestTenant;

  beforeAll(async () => {
    runtime = await startTestRuntime();
    tenant = await createTestTenant(runtime, 'faults-off');
    server = await startTestServer(runtime);
  });
  afterAll(async () => {
    await server?.close();
    await runtime?.close();
  });

  it('refuses to inject anything, saying how to turn it on', async () => {
    const answer = await client(server).mutate('system.injectFault', tenant.keys.admin, { target: 'postgres', outage: true });
    expect(answer.status).toBe(403);
    expect(answer.body.error!.message).toMatch(/fault injection is off.*FAULT_INJECTION=true/);
  });
});

describe('with FAULT_INJECTION=true', () => {
  let runtime: Runtime;
  let server: TestServer;
  let tenant: TestTenant;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    runtime = await startTestRuntime({ FAULT_INJECTION: true, BREAKER_RESET_TIMEOUT_MS: 300, SPOOL_DRAIN_INTERVAL_MS: 100 });
    tenant = await createTestTenant(runtime, 'faults-on');
    server = await startTestServer(runtime);
    api = client(server);
  });
  afterAll(async () => {
    await server?.close();
    await runtime?.close();
  });

  it('is for admin keys only, and a fault needs something to do', async () => {
    expect((await api.mutate('system.injectFault', tenant.keys.read, { target: 'redis', outage: true })).status).toBe(403);
    const empty = await api.mutate('system.injectFault', tenant.keys.admin, { target: 'redis' });
    expect(empty.status).toBe(400);
    expect(empty.body.error!.message).toMatch(/a fault needs latencyMs, errorRate or outage/);
  });

  it('adds latency to PostgreSQL reads', async () => {
    await api.mutate('system.injectFault', tenant.keys.admin, { target: 'postgres-read', latencyMs: 400, durationSeconds: 5 });
    const slow = await api.query('analytics.summary', tenant.keys.read, freshRange());
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(400);
    await api.mutate('system.clearFaults', tenant.keys.admin);
    const fast = await api.query('analytics.summary', tenant.keys.read, freshRange());
    expect(fast.ms).toBeLessThan(400);
  });

  it('takes PostgreSQL out: reads are refused clearly, writes are spooled, and all is stored once it ends', async () => {
    const injected = await api.mutate('system.injectFault', tenant.keys.admin, { target: 'postgres', outage: true, durationSeconds: 60 });
    expect(injected.status).toBe(200);
    expect((await api.query('system.faults', tenant.keys.admin)).body.result!.data.faults).toMatchObject([
      { dependency: 'postgres-read', outage: true },
      { dependency: 'postgres-write', outage: true },
    ]);

    const read = await api.query('analytics.summary', tenant.keys.read, freshRange());
    expect(read.status).toBe(503);
    expect(read.body.error!.message).toMatch(/database is unavailable/);
    const batch = Array.from({ length: 5 }, (_, i) => ({ type: 'track', event: 'during-fault', userId: 'u', messageId: `fault-${i}` }));
    const written = await api.mutate('events.ingest', tenant.keys.ingest, { batch });
    expect(written.status).toBe(200);
    expect(written.body.result!.data).toMatchObject({ accepted: 0, queued: 5 });

    expect((await api.mutate('system.clearFaults', tenant.keys.admin)).body.result!.data.faults).toEqual([]);
    const stored = async () =>
      (await runtime.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND name = 'during-fault'`, [tenant.id])).rows[0]!.n;
    await expect.poll(stored, { timeout: 10_000, interval: 100 }).toBe(5);
  });

  it('publishes the breaker changes it causes to every instance', async () => {
    const pubsub = new RedisPubSub((await connectTestRedis()).redis);
    const changes: Array<{ dependency: string; state: string; instance: string }> = [];
    await pubsub.subscribe(breakerStateChannel(inject('redisKeyPrefix')), (message) => changes.push(JSON.parse(message)));
    try {
      await api.mutate('system.injectFault', tenant.keys.admin, { target: 'postgres-write', outage: true, durationSeconds: 60 });
      for (let i = 0; i < 6; i += 1) {
        await api.mutate('events.ingest', tenant.keys.ingest, { batch: [{ type: 'track', event: 'opens-breaker', userId: 'u', messageId: `opens-${i}` }] });
      }
      await api.mutate('system.clearFaults', tenant.keys.admin);
      await expect
        .poll(() => changes.map((change) => `${change.dependency} ${change.state}`), { timeout: 10_000, interval: 50 })
        .toEqual(['postgres-write open', 'postgres-write half-open', 'postgres-write closed']);
      expect(changes[0]!.instance).toMatch(/:\d+$/);
    } finally {
      await pubsub.close();
    }
  });
});
