/** One entry of a tenant's live log: what a commit added, as the JSON the subscribers receive. */
export interface LiveEntry {
  /** "<ms>-<seq>", increasing within a tenant's log (Redis Stream ids, or the same shape in memory). */
  id: string;
  payload: string;
}

/**
 * A short, ordered log per tenant of what was committed, so a subscriber that reconnects can ask for
 * everything after the last id it saw. Redis Stream with Redis, an array in embedded mode.
 */
export interface LiveLog {
  append(tenantId: number, payload: string): Promise<string>;
  /** Entries with ids greater than `afterId` (all kept ones for null), oldest first, at most `limit`. */
  after(tenantId: number, afterId: string | null, limit: number): Promise<LiveEntry[]>;
  /** The id of the newest entry, or null when the log is empty. */
  latestId(tenantId: number): Promise<string | null>;
}

/** Entries kept per tenant: enough for a reconnect after a short outage, not a history. */
export const LIVE_LOG_MAX_ENTRIES = 10_000;

/** Orders two entry ids ("<ms>-<seq>"); negative when a comes first. */
export function compareLiveIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

/** Whether a caller-supplied id has the right shape (it ends up in a Redis command). */
export function isLiveId(id: string): boolean {
  return /^\d{1,15}-\d{1,10}$/.test(id);
}
