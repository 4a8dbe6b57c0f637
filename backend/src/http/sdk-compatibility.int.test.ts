import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { startFlakyProxy } from '../test/flaky-proxy.ts';
import { rollupDisagreements } from '../test/rollup-consistency.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer } from '../test/test-tenant.ts';

// The official SDKs, unchanged, pointed at this server through a proxy that fails some responses
// (some after the server stored the batch), so the SDKs retry: every event must be stored exactly once,
// and the rollups must agree with the raw rows.
const EVENTS = 10_000;
const EVENT_NAMES = ['page_view', 'button_click', 'signup', 'purchase'];

let runtime: Runtime;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  runtime = await startTestRuntime();
  server = await startTestServer(runtime);
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

async function storedCounts(tenantId: number) {
  const { rows } = await runtime.pool.query<{ total: string; distinct_ids: string }>(
    'SELECT count(*) AS total, count(DISTINCT message_id) AS distinct_ids FROM events WHERE tenant_id = $1',
    [tenantId],
  );
  return { total: Number(rows[0]!.total), distinctIds: Number(rows[0]!.distinct_ids) };
}

describe.each([
  {
    sdk: '@segment/analytics-node',
    async send(host: string, writeKey: string) {
      const analytics = new SegmentAnalytics({ writeKey, host, flushAt: 100, flushInterval: 50, maxRetries: 10 });
      const failures: unknown[] = [];
      analytics.on('error', (error) => failures.push(error));
      for (let i = 0; i < EVENTS; i += 1) {
        analytics.track({ userId: `user-${i % 50}`, event: EVENT_NAMES[i % EVENT_NAMES.length]!, properties: { i } });
      }
      await analytics.closeAndFlush({ timeout: 120_000 });
      return failures;
    },
  },
  {
    sdk: '@rudderstack/rudder-sdk-node',
    async send(dataPlaneUrl: string, writeKey: string) {
      const failures: unknown[] = [];
      const analytics = new RudderAnalytics(writeKey, {
        dataPlaneUrl,
        flushAt: 100,
        flushInterval: 50,
        retryCount: 10,
        logLevel: 'error',
        axiosRetryConfig: { retryDelay: () => 20 },
      });
      // Each event's callback fires once the batch carrying it was delivered, or finally failed. Events go
      // in waves, as a server emits them: this SDK re-measures its whole queue on every enqueue.
      const WAVE = 500;
      for (let start = 0; start < EVENTS; start += WAVE) {
        const delivered = Array.from(
          { length: WAVE },
          (_, offset) =>
            new Promise<void>((resolve) => {
              const i = start + offset;
              const message = { userId: `user-${i % 50}`, event: EVENT_NAMES[i % EVENT_NAMES.length]!, properties: { i } };
              analytics.track(message, (error?: unknown) => {
                if (error) failures.push(error);
                resolve();
              });
            }),
        );
        await analytics.flush();
        await Promise.all(delivered);
      }
      return failures;
    },
  },
])('$sdk', ({ sdk, send }) => {
  it(`sends ${EVENTS.toLocaleString('en-US')} events through failing responses; each is stored exactly once`, async () => {
    const tenant = await createTestTenant(runtime, sdk.includes('segment') ? 'segment-sdk' : 'rudder-sdk');
    const proxy = await startFlakyProxy(server.url, 12);
    try {
      const failures = await send(proxy.url, tenant.keys.ingest);
      expect(failures).toEqual([]);
      expect(proxy.stats.failedAfterForwarding).toBeGreaterThan(0);
      expect(proxy.stats.failedBeforeForwarding).toBeGreaterThan(0);
      // Retries of batches the server had already stored came back as duplicates, not as new rows.
      expect(proxy.stats.duplicatesReported).toBeGreaterThan(0);
      expect(await storedCounts(tenant.id)).toEqual({ total: EVENTS, distinctIds: EVENTS });
      expect(await rollupDisagreements(runtime.pool, tenant.id)).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 180_000);
});
