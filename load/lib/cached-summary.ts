import { EventPartitions } from '@pulse/backend/infra/db/event-partitions';
import { EventRepository } from '@pulse/backend/repositories/event-repository';
import type { Runtime } from '@pulse/backend/runtime';
import { generateDemoEvents } from '@pulse/backend/services/demo-events';
import { startServerProcess, type ServerProcess } from '@pulse/backend/test/server-process';

const DAY_MS = 86_400_000;

export interface CachedSummary {
  /** GET this (with `headers`) for the cached answer. */
  url: string;
  headers: Record<string, string>;
  /** A bare Express server returning the same bytes at `/json`: the floor the cached read is compared with. */
  bare: ServerProcess;
}

/**
 * 5,000 demo events over the last 30 days, the summary over those days asked once (so it is cached), and a bare
 * Express endpoint that answers with the same JSON.
 */
export async function prepareCachedSummary(runtime: Runtime, serverUrl: string, tenant: { id: number; slug: string }, readKey: string): Promise<CachedSummary> {
  await new EventPartitions(runtime.pool).ensureDays(new Date(Date.now() - 31 * DAY_MS), new Date());
  await new EventRepository(runtime.pool).insertMany(
    generateDemoEvents({ tenantId: tenant.id, tenantSlug: tenant.slug, users: 200, events: 5_000, days: 30, now: new Date(), seed: 1 }),
  );
  const to = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS);
  const input = { from: new Date(to.getTime() - 30 * DAY_MS).toISOString(), to: to.toISOString() };
  const url = `${serverUrl}/trpc/analytics.summary?input=${encodeURIComponent(JSON.stringify(input))}`;
  const headers = { authorization: `Bearer ${readKey}` };
  const warm = await fetch(url, { headers });
  const answer = await warm.text();
  if (!warm.ok) throw new Error(`summary failed: ${warm.status} ${answer}`);
  const bare = await startServerProcess({ BARE_BODY: answer }, 'load/lib/bare-express-server.ts');
  return { url, headers, bare };
}
