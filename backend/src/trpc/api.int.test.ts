import { ZHealth } from '@pulse/shared/system';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestTenant } from '../test/test-tenant.ts';
import type { AppRouter } from './app-router.ts';

// Yesterday (UTC): recent enough to be inside every plan's retention.
const DAY_MS = 86_400_000;
const dayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
const RANGE = { from: new Date(dayStart).toISOString(), to: new Date(dayStart + DAY_MS).toISOString() };
const at = (hour: number) => new Date(dayStart + hour * 3_600_000).toISOString();

let runtime: Runtime;
let server: { url: string; close(): Promise<void> };
let tenant: TestTenant;
let otherTenant: TestTenant;

const client = (key?: string) =>
  createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${server.url}/trpc`, headers: key ? { authorization: `Bearer ${key}` } : {} })],
  });

const track = (messageId: string, event: string, timestamp: string, userId = 'u1') => ({
  type: 'track',
  event,
  messageId,
  userId,
  timestamp,
});

beforeAll(async () => {
  runtime = await startTestRuntime();
  server = await startTestServer(runtime);
  tenant = await createTestTenant(runtime, 'api');
  otherTenant = await createTestTenant(runtime, 'api-other');
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

describe('events.ingest → analytics.summary over HTTP', () => {
  it('stores a batch, counts it in the summary, and stores a retried batch only once', async () => {
    const batch = [track('m-1', 'page_view', at(10)), track('m-2', 'page_view', at(11), 'u2'), track('m-3', 'purchase', at(12))];
    const first = await client(tenant.keys.ingest).events.ingest.mutate({ batch });
    expect(first).toEqual({ accepted: 3, duplicates: 0, rejected: [] });

    const retry = await client(tenant.keys.ingest).events.ingest.mutate({ batch });
    expect(retry).toEqual({ accepted: 0, duplicates: 3, rejected: [] });

    const summary = await client(tenant.keys.read).analytics.summary.query(RANGE);
    expect(summary.totalEvents).toBe(3);
    expect(summary.uniqueUsers).toBe(2);
    expect(summary.byType).toEqual([
      { name: 'page_view', count: 2 },
      { name: 'purchase', count: 1 },
    ]);
  });

  it('serves a fresh summary right after new events commit (no stale cache)', async () => {
    const before = await client(tenant.keys.read).analytics.summary.query(RANGE);
    await client(tenant.keys.ingest).events.ingest.mutate({ batch: [track('m-4', 'signup', at(13))] });
    const after = await client(tenant.keys.read).analytics.summary.query(RANGE);
    expect(after.totalEvents).toBe(before.totalEvents + 1);
  });

  it('treats the range as half-open: an event at exactly `to` is not counted', async () => {
    await client(tenant.keys.ingest).events.ingest.mutate({ batch: [track('m-edge', 'edge', RANGE.to)] });
    const summary = await client(tenant.keys.read).analytics.summary.query(RANGE);
    expect(summary.byType.map((row) => row.name)).not.toContain('edge');
  });

  it('rejects bad items one by one and stores the good ones', async () => {
    const response = await client(tenant.keys.ingest).events.ingest.mutate({
      batch: [track('m-5', 'page_view', at(14)), { type: 'track', userId: 'u1' }, 42],
    });
    expect(response.accepted).toBe(1);
    expect(response.rejected.map((rejection) => rejection.index)).toEqual([1, 2]);
    expect(response.rejected[0]?.message).toMatch(/event/);
  });

  it('keeps tenants apart: another tenant sees none of these events', async () => {
    const summary = await client(otherTenant.keys.read).analytics.summary.query(RANGE);
    expect(summary.totalEvents).toBe(0);
  });
});

describe('errors callers get', () => {
  async function rawCall(path: string, init: RequestInit & { key?: string } = {}) {
    const headers = new Headers(init.headers);
    if (init.key) headers.set('authorization', `Bearer ${init.key}`);
    if (init.body) headers.set('content-type', 'application/json');
    const response = await fetch(`${server.url}/trpc/${path}`, { ...init, headers });
    return { status: response.status, body: (await response.json()) as { error?: { message: string; data: { appCode: string } } } };
  }

  it('401 without a key, and the message says how to send one', async () => {
    const { status, body } = await rawCall('auth.whoAmI');
    expect(status).toBe(401);
    expect(body.error?.message).toMatch(/Authorization: Bearer/);
  });

  it('401 for an unknown key', async () => {
    const { status, body } = await rawCall('auth.whoAmI', { key: 'pk_read_not-a-real-key' });
    expect(status).toBe(401);
    expect(body.error?.data.appCode).toBe('UNAUTHORIZED');
  });

  it('403 when an ingest-only key asks for analytics', async () => {
    const error = await client(tenant.keys.ingest)
      .analytics.summary.query(RANGE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.httpStatus).toBe(403);
    expect((error as Error).message).toMatch(/scope "read" or "admin"/);
  });

  it('400 with the field named when the range is backwards', async () => {
    const input = encodeURIComponent(JSON.stringify({ from: RANGE.to, to: RANGE.from }));
    const { status, body } = await rawCall(`analytics.summary?input=${input}`, { key: tenant.keys.read });
    expect(status).toBe(400);
    expect(body.error?.message).toMatch(/from: "from" must be before "to"/);
  });

  it('400 when nothing in the batch is usable, and nothing is stored', async () => {
    const before = await client(tenant.keys.read).analytics.summary.query(RANGE);
    const { status, body } = await rawCall('events.ingest', {
      method: 'POST',
      key: tenant.keys.ingest,
      body: JSON.stringify({ batch: [{ type: 'track', userId: 'u1', timestamp: at(10) }] }),
    });
    expect(status).toBe(400);
    expect(body.error?.message).toMatch(/event 0: event: a track event needs an "event" name/);
    const after = await client(tenant.keys.read).analytics.summary.query(RANGE);
    expect(after.totalEvents).toBe(before.totalEvents);
  });

  it('400 for malformed JSON, never a 500', async () => {
    const { status } = await rawCall('events.ingest', { method: 'POST', key: tenant.keys.ingest, body: '{"batch": [' });
    expect(status).toBe(400);
  });

  it('413 when a batch has more events than the limit', async () => {
    const batch = Array.from({ length: 1_001 }, (_, i) => track(`big-${i}`, 'page_view', at(10)));
    const { status, body } = await rawCall('events.ingest', { method: 'POST', key: tenant.keys.ingest, body: JSON.stringify({ batch }) });
    expect(status).toBe(413);
    expect(body.error?.message).toMatch(/1,001 events; the limit is 1,000/);
  });
});

describe('public endpoints', () => {
  it('system.info says which mode the server runs in', async () => {
    const info = await client().system.info.query();
    expect(info).toMatchObject({ mode: 'services', database: 'postgresql', cache: 'redis' });
  });

  it('/health/ready checks PostgreSQL and Redis, and shows the breakers and the spool', async () => {
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(200);
    const health = ZHealth.parse(await response.json());
    expect(health).toMatchObject({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' }, spool: { depth: 0 } });
    expect(health.breakers.map((breaker) => [breaker.dependency, breaker.state])).toEqual([
      ['postgres-read', 'closed'],
      ['postgres-write', 'closed'],
      ['redis', 'closed'],
    ]);
  });
});
