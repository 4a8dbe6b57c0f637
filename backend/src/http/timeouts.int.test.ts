import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TLiveDelta } from '@pulse/shared/live';
import { openSse } from '../infra/sse/sse-reader.ts';
import type { Runtime } from '../runtime.ts';
import { rawExchange } from '../test/raw-http.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';

const DEADLINE_MS = 600;
const FAULT_LATENCY_MS = 2_000;
const DAY_MS = 86_400_000;
/** Only where time is what is tested: an injected latency, a deadline, a client that trickles bytes. */
const letTimePass = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let runtime: Runtime;
let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  // Breaker timeouts above the injected latency: the slow call waits rather than fails, and only the deadline can answer.
  runtime = await startTestRuntime({ FAULT_INJECTION: true, PG_READ_TIMEOUT_MS: 10_000, PG_WRITE_TIMEOUT_MS: 10_000 });
  server = await startTestServer(runtime, { requestTimeoutMs: DEADLINE_MS, timeouts: { headersTimeoutMs: 500, requestTimeoutMs: 1_000 } });
  tenant = await createTestTenant(runtime, 'timeouts');
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

async function call(path: string, init: RequestInit = {}) {
  const started = performance.now();
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${tenant.keys.admin}`, 'content-type': 'application/json', ...init.headers },
  });
  const body = (await response.json()) as { error?: { message: string; data?: { appCode?: string } } };
  return { status: response.status, ms: performance.now() - started, retryAfter: response.headers.get('retry-after'), body };
}

const injectFault = (target: string) =>
  call('/trpc/system.injectFault', { method: 'POST', body: JSON.stringify({ target, latencyMs: FAULT_LATENCY_MS, durationSeconds: 30 }) });
const clearFaults = () => call('/trpc/system.clearFaults', { method: 'POST', body: 'null' });

async function storedCount(name: string): Promise<number> {
  const { rows } = await runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND name = $2', [tenant.id, name]);
  return rows[0]!.n;
}

describe('the answering deadline (REQUEST_TIMEOUT_MS)', () => {
  it('answers a query stuck on a slow PostgreSQL with 503 and the reason, in tRPC’s shape', async () => {
    expect((await injectFault('postgres-read')).status).toBe(200);
    try {
      const to = Math.floor(Date.now() / DAY_MS) * DAY_MS - 20 * DAY_MS;
      const input = encodeURIComponent(JSON.stringify({ from: new Date(to - DAY_MS).toISOString(), to: new Date(to).toISOString() }));
      const answer = await call(`/trpc/analytics.summary?input=${input}`);
      expect(answer.status).toBe(503);
      expect(answer.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(answer.ms).toBeLessThan(FAULT_LATENCY_MS);
      expect(answer.body.error!.message).toMatch(/the server did not answer within 0.6 s/);
      expect(answer.body.error!.data!.appCode).toBe('SERVICE_UNAVAILABLE');
      expect(answer.retryAfter).toBe('5');
      // The abandoned handler finishes once the injected latency has passed; its answer goes nowhere, and the server carries on.
      await letTimePass(FAULT_LATENCY_MS);
      expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    } finally {
      await clearFaults();
    }
  });

  it('answers an ingest stuck on slow writes with 503; sending it again with the same messageIds stores each event once', async () => {
    expect((await injectFault('postgres-write')).status).toBe(200);
    const batch = Array.from({ length: 3 }, (_, i) => ({ type: 'track', event: 'deadline', userId: 'u-1', messageId: `deadline-${i}` }));
    try {
      for (const path of ['/v1/batch', '/trpc/events.ingest']) {
        const answer = await call(path, { method: 'POST', body: JSON.stringify({ batch }) });
        expect(answer.status).toBe(503);
        expect(answer.ms).toBeLessThan(FAULT_LATENCY_MS);
        expect(answer.body.error!.message).toMatch(/did not answer within 0.6 s.*same messageId are stored once/);
      }
    } finally {
      await clearFaults();
    }
    // The abandoned writes still land once the injected latency has passed: the retry comes after them.
    await expect.poll(() => storedCount('deadline'), { timeout: 10_000, interval: 50 }).toBe(3);
    const retried = await call('/v1/batch', { method: 'POST', body: JSON.stringify({ batch }) });
    expect(retried.status).toBe(200);
    expect(await storedCount('deadline')).toBe(3);
  });

  it('never cuts a live stream', async () => {
    const stream = await openSse(`${server.url}/trpc/analytics.live`, { authorization: `Bearer ${tenant.keys.read}` });
    try {
      // Time under test: the stream outlives the answering deadline.
      await letTimePass(DEADLINE_MS * 2);
      await call('/v1/track', { method: 'POST', body: JSON.stringify({ event: 'after-deadline', userId: 'u-1' }) });
      const message = await stream.next();
      expect((JSON.parse(message.data) as TLiveDelta).byType).toEqual([{ name: 'after-deadline', count: 1 }]);
    } finally {
      stream.close();
    }
  });
});

describe('slow clients (HEADERS_TIMEOUT_MS, and REQUEST_TIMEOUT_MS for the whole request)', () => {
  it('closes a connection whose headers trickle in', async () => {
    const answer = await rawExchange(server.url, async (socket) => {
      socket.write(`GET /health/live HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\n`);
      for (let i = 0; i < 50 && !socket.destroyed; i += 1) {
        socket.write(`X-Slow-${i}: 1\r\n`);
        // A slow client: one header line every 100 ms.
        await letTimePass(100);
      }
    });
    expect(answer.closed).toBe(true);
    expect(answer.status).toBe(408);
    expect(answer.body).toMatch(/the request did not arrive in time \(headers within 0.5 s/);
    expect(answer.ms).toBeLessThan(2_500);
  });

  it('closes a connection whose body trickles in', async () => {
    const answer = await rawExchange(
      server.url,
      async (socket) => {
        socket.write(`POST /health/live HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nContent-Length: 1000\r\n\r\n`);
        for (let i = 0; i < 50 && !socket.destroyed; i += 1) {
          socket.write('x');
          // A slow client: one body byte every 100 ms.
          await letTimePass(100);
        }
      },
      4_000,
    );
    expect(answer.closed).toBe(true);
    expect(answer.ms).toBeLessThan(3_000);
  });
});
