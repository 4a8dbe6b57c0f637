import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestTenant } from '../test/test-tenant.ts';

// A tiny ingest queue: concurrent batches beyond it must get a fast 503 with Retry-After, never an
// acknowledgement for events that are not stored, and never unbounded memory.
let runtime: Runtime;
let server: { url: string; close(): Promise<void> };
let tenant: TestTenant;

beforeAll(async () => {
  runtime = await startTestRuntime({ INGEST_QUEUE_MAX_ROWS: 300, INGEST_FLUSH_MAX_ROWS: 300, INGEST_FLUSH_DELAY_MS: 20 });
  server = await startTestServer(runtime);
  tenant = await createTestTenant(runtime, 'backpressure');
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

it('refuses what it cannot queue with 503 + Retry-After, and stores everything it acknowledged', async () => {
  const batches = Array.from({ length: 30 }, (_, b) =>
    Array.from({ length: 100 }, (_, i) => ({ type: 'track', event: 'load', userId: 'u', messageId: `bp-${b}-${i}` })),
  );
  const responses = await Promise.all(
    batches.map(async (batch) => {
      const response = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': tenant.keys.ingest },
        body: JSON.stringify({ batch }),
      });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { accepted?: number } };
    }),
  );
  const refused = responses.filter((response) => response.status === 503);
  const acknowledged = responses.filter((response) => response.status === 200);
  expect(refused.length).toBeGreaterThan(0);
  expect(acknowledged.length).toBeGreaterThan(0);
  expect(refused.length + acknowledged.length).toBe(batches.length);
  for (const response of refused) expect(response.retryAfter).toBe('1');

  const acknowledgedEvents = acknowledged.reduce((sum, response) => sum + (response.body.accepted ?? 0), 0);
  const { rows } = await runtime.pool.query('SELECT count(*)::int AS stored FROM events WHERE tenant_id = $1', [tenant.id]);
  expect(rows[0].stored).toBe(acknowledgedEvents);
});
