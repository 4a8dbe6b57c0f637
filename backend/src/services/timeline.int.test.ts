import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTimelineEvent, TTimelineResponse } from '@pulse/shared/timeline';
import { EventPartitions } from '../infra/db/event-partitions.ts';
import { EventRepository, type EventRow } from '../repositories/event-repository.ts';
import { TimelineRepository } from '../repositories/timeline-repository.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, type TestTenant } from '../test/test-tenant.ts';
import { DatabaseReads } from './database-reads.ts';
import { mulberry32 } from './demo-events.ts';
import { TimelineService } from './timeline-service.ts';

// The oracle: visitors' timelines recomputed here, in TypeScript, from the rows generated, against the service.
// Many events share a timestamp, so pages cut between equal times; a second tenant holds the same ids.
const DAY_MS = 86_400_000;
// 14 to 16 days back: inside every plan's retention, and days no other test file writes events on.
const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 16 * DAY_MS);
const USERS = ['u-0', 'u-1', 'u-2'];
const ANONYMOUS = ['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'a-5'];

let runtime: Runtime;
let tenant: TestTenant;
let other: TestTenant;
const rows: EventRow[] = [];
/** Stored ids by message id: the oracle breaks ties on equal times with them, as the service does. */
const storedIds = new Map<string, bigint>();

beforeAll(async () => {
  runtime = await startTestRuntime();
  [tenant, other] = await Promise.all([createTestTenant(runtime, 'timeline'), createTestTenant(runtime, 'timeline-other')]);
  const random = mulberry32(1204);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  // Twelve instants only: most events share their timestamp with others.
  const instants = Array.from({ length: 12 }, () => new Date(start.getTime() + DAY_MS + Math.floor(random() * 2 * DAY_MS)));
  for (const [tenantId, count] of [
    [tenant.id, 400],
    [other.id, 150],
  ] as const) {
    for (let i = 0; i < count; i += 1) {
      const kind = random();
      // Anonymous only (before signing in), identified (a user id with the device's anonymous id), or a server
      // event with a user id alone.
      const userId = kind < 0.35 ? null : pick(USERS);
      const anonymousId = kind > 0.85 ? null : pick(ANONYMOUS);
      rows.push({
        tenantId,
        messageId: `timeline-${tenantId}-${i}`,
        type: pick(['page', 'track', 'identify']),
        name: pick(['page_view', 'signup', 'purchase']),
        userId,
        anonymousId,
        sessionId: `s-${Math.floor(random() * 20)}`,
        path: pick(['/', '/pricing', null]),
        referrer: null,
        device: pick(['desktop', 'mobile', null]),
        browser: pick(['Chrome', 'Safari']),
        country: pick(['DE', 'US', null]),
        os: pick(['macOS', 'iOS', null]),
        referrerSource: null,
        utmSource: null,
        utmMedium: null,
        utmCampaign: null,
        isBot: random() < 0.05,
        properties: { n: i },
        ts: pick(instants),
      });
    }
  }
  await new EventPartitions(runtime.pool).ensureDays(start, new Date(start.getTime() + 3 * DAY_MS));
  await new EventRepository(runtime.pool).insertMany(rows);
  const stored = await runtime.pool.query<{ message_id: string; id: string }>('SELECT message_id, id FROM events WHERE tenant_id = ANY($1)', [
    [tenant.id, other.id],
  ]);
  for (const row of stored.rows) storedIds.set(row.message_id, BigInt(row.id));
});

afterAll(async () => {
  await runtime?.close();
});

/** Anonymous ids seen on the user id's events: their events without a user id are the user's too. */
function linkedIds(tenantId: number, visitorId: string): Set<string> {
  return new Set(rows.filter((row) => row.tenantId === tenantId && row.userId === visitorId && row.anonymousId !== null).map((row) => row.anonymousId!));
}

function expectedEvents(tenantId: number, visitorId: string): EventRow[] {
  const linked = linkedIds(tenantId, visitorId);
  return rows
    .filter(
      (row) =>
        row.tenantId === tenantId &&
        (row.userId === visitorId || row.anonymousId === visitorId || (row.userId === null && row.anonymousId !== null && linked.has(row.anonymousId))),
    )
    .sort((a, b) => b.ts.getTime() - a.ts.getTime() || Number(storedIds.get(b.messageId)! - storedIds.get(a.messageId)!));
}

async function allPages(of: TestTenant, visitorId: string, limit: number): Promise<{ pages: TTimelineResponse[]; events: TTimelineEvent[] }> {
  const pages: TTimelineResponse[] = [];
  let cursor: string | undefined;
  do {
    const page = await runtime.services.timeline.visitorTimeline(of, { visitorId, limit, cursor });
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 500);
  return { pages, events: pages.flatMap((page) => page.events) };
}

describe('a visitor timeline', () => {
  it.each([...USERS, ...ANONYMOUS])('holds exactly the events of %s, newest first, across pages cut between equal times', async (visitorId) => {
    const expected = expectedEvents(tenant.id, visitorId);
    expect(expected.length).toBeGreaterThan(7);
    const { pages, events } = await allPages(tenant, visitorId, 7);
    expect(events.map((event) => event.messageId)).toEqual(expected.map((row) => row.messageId));
    expect(pages.slice(0, -1).every((page) => page.events.length === 7)).toBe(true);
    // The equal times the pages were cut between: without the id in the cursor, some of these would repeat or go missing.
    const cutsBetweenEqualTimes = pages.slice(0, -1).filter((page, index) => page.events.at(-1)!.ts === pages[index + 1]!.events[0]?.ts);
    expect(cutsBetweenEqualTimes.length).toBeGreaterThan(0);
  });

  it('describes the visitor: first and last seen, how many events, and where the newest came from', async () => {
    for (const visitorId of [...USERS, ...ANONYMOUS]) {
      const expected = expectedEvents(tenant.id, visitorId);
      const newest = expected[0]!;
      const page = await runtime.services.timeline.visitorTimeline(tenant, { visitorId, limit: 3 });
      const visitor = {
        id: visitorId,
        linkedAnonymousIds: [...linkedIds(tenant.id, visitorId)].filter((id) => id !== visitorId),
        firstSeen: new Date(Math.min(...expected.map((row) => row.ts.getTime()))).toISOString(),
        lastSeen: newest.ts.toISOString(),
        eventCount: expected.length,
        eventCountIsCapped: false,
        country: newest.country,
        device: newest.device,
        browser: newest.browser,
        os: newest.os,
      };
      expect({ ...page.visitor!, linkedAnonymousIds: [...page.visitor!.linkedAnonymousIds].sort() }).toEqual({
        ...visitor,
        linkedAnonymousIds: visitor.linkedAnonymousIds.sort(),
      });
      // Later pages describe the same visitor.
      const later = await runtime.services.timeline.visitorTimeline(tenant, { visitorId, limit: 3, cursor: page.nextCursor! });
      expect(later.visitor).toEqual(page.visitor);
    }
  });

  it('shows each event as the event log does, with its operating system and whether a crawler sent it', async () => {
    const [event] = (await runtime.services.timeline.visitorTimeline(tenant, { visitorId: 'u-0', limit: 1 })).events;
    const row = expectedEvents(tenant.id, 'u-0')[0]!;
    expect(event).toEqual({
      id: storedIds.get(row.messageId)!.toString(),
      messageId: row.messageId,
      type: row.type,
      name: row.name,
      userId: row.userId,
      anonymousId: row.anonymousId,
      sessionId: row.sessionId,
      path: row.path,
      referrer: row.referrer,
      device: row.device,
      browser: row.browser,
      country: row.country,
      os: row.os,
      isBot: row.isBot,
      properties: row.properties,
      ts: row.ts.toISOString(),
      receivedAt: expect.any(String),
    });
  });

  it("holds nothing of another tenant's visitor of the same id, nor of an id the tenant never saw", async () => {
    for (const visitorId of [...USERS, ...ANONYMOUS]) {
      const { events } = await allPages(other, visitorId, 50);
      expect(events.map((event) => event.messageId)).toEqual(expectedEvents(other.id, visitorId).map((row) => row.messageId));
      expect(events.every((event) => event.messageId.startsWith(`timeline-${other.id}-`))).toBe(true);
    }
    expect(await runtime.services.timeline.visitorTimeline(tenant, { visitorId: 'nobody-at-all' })).toEqual({ visitor: null, events: [], nextCursor: null });
  });

  it('counts up to its cap, and still finds the first event past it', async () => {
    const repository = new TimelineRepository(runtime.pool);
    const since = new Date(start.getTime() - DAY_MS);
    const expected = expectedEvents(tenant.id, 'u-1');
    const match = { visitorId: 'u-1', linkedAnonymousIds: [...linkedIds(tenant.id, 'u-1')], since };
    const firstSeen = new Date(Math.min(...expected.map((row) => row.ts.getTime())));
    expect(await repository.totals(tenant.id, match, 5)).toEqual({ count: 5, firstSeen });
    expect(await repository.totals(tenant.id, match, expected.length + 1)).toEqual({ count: expected.length, firstSeen });
    // Events past the tenant's retention are not the visitor's any more.
    expect(await repository.totals(tenant.id, { ...match, since: new Date() }, 5)).toEqual({ count: 0, firstSeen: null });
  });

  it('stops a page at the byte budget of exports, handing back a cursor that goes on where it stopped', async () => {
    const maxPageBytes = 2_000;
    const service = new TimelineService(new TimelineRepository(runtime.pool), new DatabaseReads(runtime.breakers, null), { maxPageBytes });
    const expected = expectedEvents(tenant.id, 'u-2');
    const events: TTimelineEvent[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await service.visitorTimeline(tenant, { visitorId: 'u-2', limit: 500, cursor });
      pages += 1;
      const bytes = page.events.map((event) => Buffer.byteLength(JSON.stringify(event)));
      // The budget is reached by the page's last event at most.
      expect(bytes.slice(0, -1).reduce((sum, size) => sum + size, 0)).toBeLessThan(maxPageBytes);
      events.push(...page.events);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toBeGreaterThan(3);
    expect(events.map((event) => event.messageId)).toEqual(expected.map((row) => row.messageId));
  });

  it('refuses a cursor it did not hand out', async () => {
    await expect(runtime.services.timeline.visitorTimeline(tenant, { visitorId: 'u-0', cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});
