import type { TPlan } from '@pulse/shared/plans';

/** What a limit counts: ingestion counts events, not requests; reads and admin calls count requests. */
export type RateLimitClass = 'ingest' | 'read' | 'admin';

/** Allowance per API key and minute, by the tenant's plan and the kind of call. */
export type RateLimitTable = Record<TPlan, Record<RateLimitClass, number>>;

export const DEFAULT_RATE_LIMITS: RateLimitTable = {
  free: { ingest: 60_000, read: 100, admin: 60 },
  pro: { ingest: 600_000, read: 1_000, admin: 600 },
  enterprise: { ingest: 6_000_000, read: 10_000, admin: 6_000 },
};

export type RateLimitOverrides = { [P in TPlan]?: Partial<Record<RateLimitClass, number>> };

/** The default table with some cells replaced, as RATE_LIMITS='{"pro":{"read":100}}' does. */
export function rateLimitsWith(overrides: RateLimitOverrides): RateLimitTable {
  const table = structuredClone(DEFAULT_RATE_LIMITS);
  for (const [plan, limits] of Object.entries(overrides) as Array<[TPlan, Partial<Record<RateLimitClass, number>>]>) {
    Object.assign(table[plan], limits);
  }
  return table;
}

/** What an ingest request counts against its limit: the events in its batch, or the one event it is. */
export function eventsInRequest(body: unknown): number {
  const batch = (body as { batch?: unknown } | null | undefined)?.batch;
  return Array.isArray(batch) ? Math.max(1, batch.length) : 1;
}
