/** Events a drain pass set aside: they can never be stored (their own content or a bug, not an outage). */
export interface DeadLetter {
  payload: string;
  /** Why, for whoever inspects the dead-letter stream. */
  reason: string;
  /** Acknowledged events in the payload. */
  events: number;
}

/** What became of one spooled payload: stored, except for the events set aside (null when none were). */
export interface SpoolVerdict {
  deadLetter: DeadLetter | null;
}

export interface DrainResult {
  /** Payloads handed on and removed from the spool. */
  drained: number;
  /** Of those, payloads with events set aside in the dead-letter stream. */
  deadLettered: number;
  /** Another instance was draining; this pass did nothing. */
  skipped: boolean;
}

/** The dead-letter stream: entries, and the acknowledged events they hold. */
export interface DeadLetterCounts {
  entries: number;
  events: number;
}

/**
 * Durable storage for accepted writes while the database is out. A drain pass hands the payloads on,
 * oldest first, a page at a time, and removes each one once handled; when a handler throws (the database is
 * still out) that payload stays for the next pass, which ends this one. One instance drains at a time.
 * Events that can never be stored go to a dead-letter stream, only those, and come back with
 * `requeueDeadLetters` once the cause is fixed.
 */
export interface Spool {
  append(payload: string): Promise<void>;
  depth(): Promise<number>;
  drainOnce(handle: (payload: string) => Promise<SpoolVerdict>): Promise<DrainResult>;
  deadLetters(): Promise<DeadLetterCounts>;
  /** Moves every dead letter back into the spool, to be replayed by the next drain pass. */
  requeueDeadLetters(): Promise<DeadLetterCounts>;
}
