/**
 * What this instance may still trust of what it cached, given what it knows of its link to Redis.
 *
 * While Redis is out, no instance hears the others' invalidations and none reaches the generations, so an
 * answer in memory is served only for `outageTtlMs` after the later of when it was computed and when the
 * outage began. Once Redis answers again (and this instance has replayed what it could not send), every
 * entry computed before that moment, in memory or in Redis, is retired: another instance may have committed
 * during the outage and not replayed yet, and nothing else would tell this one. That costs one reload per
 * answer after an outage, and is what makes it safe for an instance that committed nothing itself.
 *
 * Times are this instance's clock; an entry read from Redis carries the clock of the instance that computed
 * it. Entries computed before the outage are retired as long as the clocks differ by less than the outage
 * lasted.
 */
export class OutageEpoch {
  private outageSince: number | null = null;
  private retiredBefore = 0;

  constructor(
    private readonly outageTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get inOutage(): boolean {
    return this.outageSince !== null;
  }

  /** Redis was lost at `at` (the earliest such moment is kept until it is restored). */
  lost(at = this.now()): void {
    this.outageSince = Math.min(this.outageSince ?? at, at);
  }

  /** Redis is back and nothing is owed to it: everything computed until now is retired. */
  restored(): void {
    this.outageSince = null;
    this.retiredBefore = this.now();
  }

  /** Whether an answer computed at `computedAt` may be served (or stored) now. */
  admits(computedAt: number): boolean {
    if (computedAt < this.retiredBefore) return false;
    if (this.outageSince === null) return true;
    return this.now() < Math.max(computedAt, this.outageSince) + this.outageTtlMs;
  }

  /** How long an answer computed at `computedAt` may stay in memory: `wantedMs`, or less while Redis is out. */
  lifetimeMs(computedAt: number, wantedMs: number): number {
    if (this.outageSince === null) return wantedMs;
    return Math.max(1, Math.min(wantedMs, Math.max(computedAt, this.outageSince) + this.outageTtlMs - this.now()));
  }
}
