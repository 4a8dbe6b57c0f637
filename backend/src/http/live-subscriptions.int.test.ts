import { setInterval } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TLiveDelta } from '@pulse/shared/live';
import type { TSystemMetrics } from '@pulse/shared/system';
import type { Runtime } from '../runtime.ts';
import { openSse, type SseStream } from '../infra/sse/sse-reader.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';

// Two instances share PostgreSQL and Redis: subscribers on instance A hear what is ingested through B, only
// for their own tenant, and a subscriber cut off mid-stream resumes with every delta exactly once.
let instanceA: Runtime;
let instanceB: Runtime;
let server: TestServer;
let tenant: TestTenant;
let otherTenant: TestTenant;

beforeAll(async () => {
  [instanceA, instanceB] = await Promise.all([startTestRuntime(), startTestRuntime()]);
  tenant = await createTestTenant(instanceA, 'live');
  otherTenant = await createTestTenant(instanceA, 'live-other');
  server = await startTestServer(instanceA);
});

afterAll(async () => {
  await server?.close();
  await Promise.all([instanceA?.close(), instanceB?.close()]);
});

function subscribe(key: string, lastEventId?: string): Promise<SseStream> {
  const input = encodeURIComponent(JSON.stringify(lastEventId ? { lastEventId } : {}));
  return openSse(`${server.url}/trpc/analytics.live?input=${input}`, { authorization: `Bearer ${key}` });
}

let batchNumber = 0;
/** One batch of two events through instance B; returns their message ids. */
async function ingestThroughB(target: TestTenant): Promise<string[]> {
  batchNumber += 1;
  const messageIds = [`live-${batchNumber}-a`, `live-${batchNumber}-b`];
  await instanceB.services.eventIngest.ingest(target, {
    batch: messageIds.map((messageId, i) => ({ type: 'track', event: i === 0 ? 'signup' : 'page_view', userId: 'u1', messageId })),
  });
  return messageIds;
}

async function nextDelta(stream: SseStream): Promise<{ id: string; delta: TLiveDelta }> {
  const message = await stream.next();
  expect(message.event).toBe('message');
  return { id: message.id!, delta: JSON.parse(message.data) as TLiveDelta };
}

const idsOf = (deltas: Array<{ delta: TLiveDelta }>) => deltas.flatMap(({ delta }) => delta.events.map((event) => event.messageId)).sort();

describe('analytics.live', () => {
  it("delivers what another instance commits, to the tenant's subscribers only", async () => {
    const mine = await subscribe(tenant.keys.read);
    const theirs = await subscribe(otherTenant.keys.read);
    try {
      const sent = await ingestThroughB(tenant);
      const { id, delta } = await nextDelta(mine);
      expect(id).toMatch(/^\d+-\d+$/);
      expect(delta).toMatchObject({
        accepted: 2,
        byType: [
          { name: 'page_view', count: 1 },
          { name: 'signup', count: 1 },
        ],
      });
      expect(delta.events.map((event) => event.messageId).sort()).toEqual(sent.sort());

      // The other tenant hears of its own commit, never of ours.
      const otherSent = await ingestThroughB(otherTenant);
      expect(idsOf([await nextDelta(theirs)])).toEqual(otherSent.sort());
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('resumes after a cut connection with every delta exactly once, in order', async () => {
    const first = await subscribe(tenant.keys.read);
    const sent: string[] = [];
    for (let i = 0; i < 5; i += 1) sent.push(...(await ingestThroughB(tenant)));
    const received = [await nextDelta(first), await nextDelta(first), await nextDelta(first)];
    first.close();

    // Missed while away: the rest of the five, and four more.
    for (let i = 0; i < 4; i += 1) sent.push(...(await ingestThroughB(tenant)));
    const resumed = await subscribe(tenant.keys.read, received.at(-1)!.id);
    try {
      for (let i = 0; i < 6; i += 1) received.push(await nextDelta(resumed));
      const ids = received.map((entry) => entry.id);
      expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
      expect(idsOf(received)).toEqual([...sent].sort());
      // …and nothing more: the next delta is a marker committed now, so no duplicate trailed behind.
      const marker = await ingestThroughB(tenant);
      expect(idsOf([await nextDelta(resumed)])).toEqual([...marker].sort());
    } finally {
      resumed.close();
    }
  });

  it('needs a read key, and refuses an id it never sent', async () => {
    // tRPC answers a subscription with a stream; a refusal is its one event.
    const refusal = async (stream: SseStream) => {
      const message = await stream.next();
      stream.close();
      return message;
    };
    const wrongScope = await refusal(await subscribe(tenant.keys.ingest));
    expect(wrongScope.event).toBe('serialized-error');
    expect(JSON.parse(wrongScope.data)).toMatchObject({ data: { httpStatus: 403 } });
    const unknownId = await refusal(await subscribe(tenant.keys.read, 'not-an-id'));
    expect(unknownId.event).toBe('serialized-error');
    expect(JSON.parse(unknownId.data)).toMatchObject({ message: expect.stringMatching(/not an id this stream sent/), data: { httpStatus: 400 } });
  });
});

describe('system.metrics', () => {
  it("streams this instance's figures once a second, counting the requests it answered", async () => {
    const stream = await openSse(`${server.url}/trpc/system.metrics`, { authorization: `Bearer ${tenant.keys.read}` });
    try {
      // Requests go on, ten a second (within the plan's read limit), while the snapshots come, so each second a
      // snapshot counts saw some however busy the machine; sent all at first, they could fall before the first.
      let sending = true;
      const traffic = (async () => {
        for await (const _tick of setInterval(100)) {
          if (!sending) break;
          await fetch(`${server.url}/trpc/auth.whoAmI`, { headers: { authorization: `Bearer ${tenant.keys.read}` } });
        }
      })();
      const snapshots: TSystemMetrics[] = [];
      try {
        for (let i = 0; i < 3; i += 1) snapshots.push(JSON.parse((await stream.next(3_000)).data) as TSystemMetrics);
      } finally {
        sending = false;
        await traffic;
      }
      const seconds = snapshots.map((snapshot) => Date.parse(snapshot.at));
      expect(seconds[2]! - seconds[0]!).toBeGreaterThanOrEqual(1_500);
      expect(snapshots.some((snapshot) => snapshot.requests.perSecond >= 1)).toBe(true);
      const busiest = snapshots.reduce((a, b) => (a.requests.perSecond >= b.requests.perSecond ? a : b));
      expect(busiest.requests.statuses['2xx']).toBe(busiest.requests.perSecond);
      expect(busiest.requests.latencyMs.p99).toBeGreaterThanOrEqual(busiest.requests.latencyMs.p50);
      expect(snapshots[0]).toMatchObject({
        mode: 'services',
        breakers: expect.arrayContaining([expect.objectContaining({ dependency: 'postgres-write', state: 'closed' })]),
      });
      expect(snapshots[0]!.spoolDepth).toBe(0);
      // Streams (some ended above) are not requests with a latency: they stay out of the request histogram.
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/route="\/trpc\/auth.whoAmI"/);
      expect(metrics).not.toMatch(/route="\/trpc\/analytics.live"/);
    } finally {
      stream.close();
    }
  });
});
