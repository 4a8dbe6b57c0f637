/** What a drain pass does with one spooled payload. */
export type SpoolVerdict = 'stored' | 'poison';

export interface DrainResult {
  /** Payloads handed on and removed from the spool. */
  drained: number;
  /** Payloads that can never be stored (a bug, not an outage): moved aside, kept for inspection. */
  deadLettered: number;
  /** Another instance was draining; this pass did nothing. */
  skipped: boolean;
}

/**
 * Durable storage for accepted writes while the database is out. A drain pass hands the payloads on,
 * oldest first, a page at a time, and removes each one once handled; when a handler throws (the database is
 * still out) that payload stays for the next pass, which ends this one. One instance drains at a time.
 */
export interface Spool {
  append(payload: string): Promise<void>;
  depth(): Promise<number>;
  drainOnce(handle: (payload: string) => Promise<SpoolVerdict>): Promise<DrainResult>;
}
