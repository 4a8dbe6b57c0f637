import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TStoredEvent } from '@pulse/shared/events';
import { EventQueryRepository } from '../repositories/event-query-repository.ts';
import { EventRepository } from '../repositories/event-repository.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, type TestTenant } from '../test/test-tenant.ts';
import { DatabaseReads } from './database-reads.ts';
import { generateDemoEvents } from './demo-events.ts';
import { EventQueryService } from './event-query-service.ts';

const EVENTS = 3_000;
const MAX_PAGE_BYTES = 65_536;

let runtime: Runtime;
let tenant: TestTenant;

beforeAll(async () => {
  runtime = await startTestRuntime();
  tenant = await createTestTenant(runtime, 'export-cap');
  await new EventRepository(runtime.pool).insertMany(
    generateDemoEvents({ tenantId: tenant.id, tenantSlug: tenant.slug, users: 30, events: EVENTS, days: 2, now: new Date(), seed: 3 }),
  );
});

afterAll(() => runtime?.close());

it('stops an export page at its byte budget and hands back a cursor; the pages together hold every event once, newest first', async () => {
  const service = new EventQueryService(new EventQueryRepository(runtime.prisma), new DatabaseReads(runtime.breakers, null), { maxPageBytes: MAX_PAGE_BYTES });
  const seen: TStoredEvent[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await service.list(tenant.id, { limit: 5_000, cursor });
    const bytes = page.events.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event)), 0);
    const largest = Math.max(...page.events.map((event) => Buffer.byteLength(JSON.stringify(event))));
    // The budget is reached by the page's last event at most.
    expect(bytes).toBeLessThan(MAX_PAGE_BYTES + largest);
    seen.push(...page.events);
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor);
  expect(pages).toBeGreaterThan(5);
  expect(seen).toHaveLength(EVENTS);
  expect(new Set(seen.map((event) => event.id)).size).toBe(EVENTS);
  const order = seen.map((event) => [Date.parse(event.ts), BigInt(event.id)] as const);
  expect(order.every(([ts, id], index) => index === 0 || ts < order[index - 1]![0] || (ts === order[index - 1]![0] && id < order[index - 1]![1]))).toBe(true);
});

it('still honours the limit when it comes first, across the parts a page is read in', async () => {
  const service = new EventQueryService(new EventQueryRepository(runtime.prisma), new DatabaseReads(runtime.breakers, null));
  const first = await service.list(tenant.id, { limit: 600 });
  expect(first.events).toHaveLength(600);
  const second = await service.list(tenant.id, { limit: 600, cursor: first.nextCursor! });
  const both = await service.list(tenant.id, { limit: 1_200 });
  expect(both.events.map((event) => event.id)).toEqual([...first.events, ...second.events].map((event) => event.id));
});
