import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TTimeseriesResponse } from '@pulse/shared/analytics';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';

// Under pressure, long timeseries are served from coarser rollups and say so. SHED_MAX_IN_FLIGHT=2 makes one
// request in flight count as half-full, which is when this instance calls itself under pressure.
const HOUR_MS = 3_600_000;
const now = Date.now();
const RANGE_7D = { from: new Date(now - 7 * 24 * HOUR_MS).toISOString(), to: new Date(now).toISOString() };

let runtime: Runtime;
let tenant: TestTenant;
let server: TestServer;

beforeAll(async () => {
  runtime = await startTestRuntime({ SHED_MAX_IN_FLIGHT: 2 });
  tenant = await createTestTenant(runtime, 'degradation');
  await runtime.services.eventIngest.ingest(tenant, {
    batch: Array.from({ length: 30 }, (_, i) => ({
      type: 'track',
      event: 'busy',
      userId: `u${i}`,
      messageId: `busy-${i}`,
      timestamp: new Date(now - (i * 5 + 1) * HOUR_MS).toISOString(),
    })),
  });
  server = await startTestServer(runtime);
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

async function timeseries(input: object): Promise<TTimeseriesResponse> {
  const response = await fetch(`${server.url}/trpc/analytics.timeseries?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { authorization: `Bearer ${tenant.keys.read}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { data: TTimeseriesResponse } }).result.data;
}

const total = (series: TTimeseriesResponse) => series.points.reduce((sum, point) => sum + point.count, 0);

it('serves a long hourly series by day under pressure, and says so', async () => {
  const served = await timeseries({ ...RANGE_7D, granularity: 'hour', name: 'busy' });
  expect(served.granularity).toBe('day');
  expect(served.degraded).toMatchObject({ reason: 'overload', granularity: 'day', requested: 'hour' });
  expect(served.degraded!.message).toMatch(/busy: this series is by day instead of by hour/);
  expect(served.points.length).toBeLessThanOrEqual(8);
  expect(total(served)).toBe(30);

  // The same question without pressure (no request in flight) gets what it asked for, with the same total.
  const calm = await runtime.services.analytics.timeseries(tenant.id, { ...RANGE_7D, granularity: 'hour', name: 'busy' });
  expect(calm.granularity).toBe('hour');
  expect(calm.degraded).toBeUndefined();
  expect(calm.points.length).toBeGreaterThanOrEqual(168);
  expect(total(calm)).toBe(30);
});

it('leaves short series alone under pressure', async () => {
  const served = await timeseries({ from: new Date(now - 24 * HOUR_MS).toISOString(), to: new Date(now).toISOString(), granularity: 'hour', name: 'busy' });
  expect(served.granularity).toBe('hour');
  expect(served.degraded).toBeUndefined();
});
