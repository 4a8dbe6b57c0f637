import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TScenarioEvent } from '@pulse/shared/scenarios';
import type { Runtime } from '../../runtime.ts';
import { startTestRuntime } from '../../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../../test/test-tenant.ts';
import { bearer, callTrpc } from '../../test/trpc-http.ts';

/** Calls without input are the status query; the others are mutations. */
async function call(server: TestServer, key: string, procedure: string, input?: unknown) {
  const answer = await callTrpc<any>(server.url, procedure, input === undefined ? 'query' : 'mutation', input, bearer(key));
  return { status: answer.status, data: answer.data, message: answer.error?.message };
}

async function eventsOf(runtime: Runtime, tenant: TestTenant, runId: string): Promise<TScenarioEvent[]> {
  const events: TScenarioEvent[] = [];
  for await (const { event } of runtime.services.scenarios.progress(tenant.id, runId, null, AbortSignal.timeout(60_000))) events.push(event);
  return events;
}

describe('on a server with fault injection', () => {
  let runtime: Runtime;
  let server: TestServer;
  let tenant: TestTenant;

  beforeAll(async () => {
    runtime = await startTestRuntime({ FAULT_INJECTION: true });
    tenant = await createTestTenant(runtime, 'scenario-runner');
    server = await startTestServer(runtime);
  });
  afterAll(async () => {
    await server?.close();
    await runtime?.close();
  });

  it('refuses knobs out of range with the bounds, and starts nothing', async () => {
    const answer = await call(server, tenant.keys.admin, 'scenarios.start', { scenario: 'database-outage', knobs: { outageSeconds: 1_000 } });
    expect(answer.status).toBe(400);
    expect(answer.message).toContain('Outage (outageSeconds) must be a number from 1 to 120');
    expect((await call(server, tenant.keys.admin, 'scenarios.status')).data.running).toBeNull();
  });

  it('takes admin keys only', async () => {
    const answer = await call(server, tenant.keys.read, 'scenarios.start', { scenario: 'end-to-end' });
    expect(answer.status).toBe(403);
  });

  it('runs one scenario at a time, and a cancelled run stops its traffic, clears its faults and says cancelled', async () => {
    const started = await call(server, tenant.keys.admin, 'scenarios.start', {
      scenario: 'database-outage',
      knobs: { durationSeconds: 20, outageSeconds: 10 },
    });
    expect(started.status).toBe(200);
    const { runId } = started.data as { runId: string };

    const second = await call(server, tenant.keys.admin, 'scenarios.start', { scenario: 'end-to-end' });
    expect(second.status).toBe(409);
    expect(second.message).toContain(runId);

    await expect.poll(() => runtime.services.faults.active().faults.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const cancelledAt = performance.now();
    expect((await call(server, tenant.keys.admin, 'scenarios.cancel', { runId })).data).toEqual({ cancelled: true });
    const events = await eventsOf(runtime, tenant, runId);
    expect(performance.now() - cancelledAt).toBeLessThan(10_000);
    expect(events.at(-1)).toMatchObject({ type: 'verdict', outcome: 'cancelled' });
    expect(events.some((event) => event.type === 'sample')).toBe(true);
    expect(runtime.services.faults.active().faults).toEqual([]);
    expect((await call(server, tenant.keys.admin, 'scenarios.status')).data.running).toBeNull();
    expect((await call(server, tenant.keys.admin, 'scenarios.cancel', { runId })).data).toEqual({ cancelled: false });
  });

  it('cancels a traffic spike mid-run: no stream started after the cancel runs on', async () => {
    const started = await call(server, tenant.keys.admin, 'scenarios.start', { scenario: 'traffic-spike', knobs: { durationSeconds: 60 } });
    const { runId } = started.data as { runId: string };
    for await (const { event } of runtime.services.scenarios.progress(tenant.id, runId, null, AbortSignal.timeout(30_000))) {
      if (event.type === 'mark' && event.label.startsWith('A noisy')) break;
    }
    const cancelledAt = performance.now();
    expect((await call(server, tenant.keys.admin, 'scenarios.cancel', { runId })).data).toEqual({ cancelled: true });
    const events = await eventsOf(runtime, tenant, runId);
    expect(performance.now() - cancelledAt).toBeLessThan(10_000);
    expect(events.at(-1)).toMatchObject({ type: 'verdict', outcome: 'cancelled' });
    expect(events.some((event) => event.type === 'mark' && event.label.startsWith('Spike'))).toBe(false);
  });

  it('replays a finished run to a late subscriber, after the id it last saw', async () => {
    const started = await call(server, tenant.keys.admin, 'scenarios.start', { scenario: 'end-to-end', knobs: { rounds: 2 } });
    const { runId } = started.data as { runId: string };
    const all = await eventsOf(runtime, tenant, runId);
    expect(all.at(-1)).toMatchObject({ type: 'verdict', outcome: 'passed' });
    const resumed: TScenarioEvent[] = [];
    for await (const { event } of runtime.services.scenarios.progress(tenant.id, runId, '2', AbortSignal.timeout(5_000))) resumed.push(event);
    expect(resumed).toEqual(all.slice(2));
  });
});

describe('on a server without fault injection', () => {
  let runtime: Runtime;
  let server: TestServer;
  let tenant: TestTenant;

  beforeAll(async () => {
    runtime = await startTestRuntime({ FAULT_INJECTION: false });
    tenant = await createTestTenant(runtime, 'scenario-off');
    server = await startTestServer(runtime);
  });
  afterAll(async () => {
    await server?.close();
    await runtime?.close();
  });

  it('says scenarios are off and how to turn them on', async () => {
    const status = await call(server, tenant.keys.admin, 'scenarios.status');
    expect(status.data).toMatchObject({ enabled: false, running: null });
    expect(status.data.reason).toContain('FAULT_INJECTION=true');
    const started = await call(server, tenant.keys.admin, 'scenarios.start', { scenario: 'end-to-end' });
    expect(started.status).toBe(403);
    expect(started.message).toContain('FAULT_INJECTION=true');
  });
});
