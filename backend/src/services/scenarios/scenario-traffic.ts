import type { TrafficStats, TrafficStream } from '../../infra/traffic/traffic-generator.ts';
import { answered } from '../../infra/traffic/traffic-generator.ts';
import { bearer, trpcQueryPath } from './loopback-client.ts';
import type { ScenarioContext } from './scenario-context.ts';

export const INGEST_BATCH_SIZE = 10;
const SEED_BATCH_SIZE = 500;
const HOUR_MS = 3_600_000;

/** Segment batches of 10 unique events at `eventsPerSecond` (open loop: a slow server does not slow the sender). */
export function ingestStream(context: ScenarioContext, name: string, eventsPerSecond: number, durationMs: number): TrafficStream {
  const perSecond = eventsPerSecond / INGEST_BATCH_SIZE;
  return {
    name,
    headers: bearer(context.tenant.keys.ingest),
    requests: { kind: 'ingest', path: '/v1/batch', batchSize: INGEST_BATCH_SIZE, eventName: `scenario_${name}`, idPrefix: idPrefix(context, name) },
    load: { kind: 'open', fromPerSecond: perSecond, toPerSecond: perSecond, rampMs: 0 },
    durationMs,
    maxRequests: Math.ceil((perSecond * durationMs) / 1_000) + 1,
    inspect: 'ingest',
  };
}

/** Every messageId a stream sends starts with this, so what it stored can be counted. */
export function idPrefix(context: ScenarioContext, stream: string): string {
  return `${context.run.runId}-${stream}`;
}

/** `count` events in the run's tenant before the traffic starts, so reads and exports have work to do. */
export async function seedEvents(context: ScenarioContext, count: number): Promise<void> {
  const now = Date.now();
  for (let start = 0; start < count; start += SEED_BATCH_SIZE) {
    const batch = Array.from({ length: Math.min(SEED_BATCH_SIZE, count - start) }, (_, i) => ({
      type: 'track',
      event: ['page_view', 'signup', 'purchase'][i % 3],
      messageId: `${context.run.runId}-seed-${start + i}`,
      userId: `seed-user-${(start + i) % 200}`,
      timestamp: new Date(now - ((start + i) % 3_600) * 1_000).toISOString(),
      properties: { path: `/page/${i % 25}` },
    }));
    const answer = await context.http.ingest(context.tenant.keys.ingest, batch);
    if (answer.status !== 200) throw new Error(`seeding the run's tenant failed: ingestion answered ${answer.status}`);
  }
}

/** A summary question over the `hours` before the end of the current hour (distinct hours: distinct questions). */
export function recentRange(hours: number): { from: string; to: string } {
  const end = Math.ceil(Date.now() / HOUR_MS) * HOUR_MS;
  return { from: new Date(end - hours * HOUR_MS).toISOString(), to: new Date(end).toISOString() };
}

/** The tRPC GET paths of `count` distinct summary questions. */
export function summaryQuestions(count: number, firstHours = 1): Array<{ path: string }> {
  return Array.from({ length: count }, (_, i) => ({ path: trpcQueryPath('analytics.summary', recentRange(firstHours + i)) }));
}

export function successRatio(stats: TrafficStats): number {
  return stats.sent === 0 ? 0 : answered(stats, (status) => status >= 200 && status < 300) / stats.sent;
}

export function countOf(stats: TrafficStats, status: number): number {
  return stats.statuses[status] ?? 0;
}

export function statusMix(stats: TrafficStats): string {
  return (
    Object.entries(stats.statuses)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ') || 'no answers'
  );
}
