export interface BacklogOptions {
  /** Admitted work that would wait longer than this to be done is refused instead. */
  maxWaitMs: number;
  /**
   * Work pending below this is always taken, whatever the estimate: a burst after a quiet spell is no overload,
   * and the rate measured on a cold instance (first connections, unoptimised code) is pessimistic.
   */
  minPendingUnits?: number;
  /** How often the rate at which work gets done is re-measured. */
  sampleIntervalMs?: number;
  now?: () => number;
}

/** Weight of the newest measurement of the rate: recent enough to follow a change within a second or two. */
const SMOOTHING = 0.5;

/**
 * Work admitted and not yet done, in any unit that grows with its cost (bytes of request body), and the rate at
 * which it gets done while there is some: their ratio is how long new work would wait. Refusing work whose wait
 * would pass a bound keeps the latency of the admitted work bounded under any overload, where a count of
 * requests or rows in a queue bounds only its length. The rate is measured over busy time only, so a quiet
 * instance is not mistaken for a slow one.
 */
export class Backlog {
  private pendingUnits = 0;
  private doneUnits = 0;
  private busyMs = 0;
  private busySince: number | null = null;
  private unitsPerMs: number | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly options: BacklogOptions) {
    this.now = options.now ?? (() => performance.now());
    this.timer = setInterval(() => this.measure(), options.sampleIntervalMs ?? 500);
    this.timer.unref();
  }

  /** Takes on `units` of work unless it would wait past the bound; an idle instance always takes it. */
  tryAdd(units: number): boolean {
    const small = this.pendingUnits + units <= (this.options.minPendingUnits ?? 0);
    if (this.pendingUnits > 0 && !small && this.estimatedWaitMs(units) > this.options.maxWaitMs) return false;
    if (this.pendingUnits === 0) this.busySince = this.now();
    this.pendingUnits += units;
    return true;
  }

  done(units: number): void {
    this.pendingUnits -= units;
    this.doneUnits += units;
    if (this.pendingUnits <= 0 && this.busySince !== null) {
      this.pendingUnits = 0;
      this.busyMs += this.now() - this.busySince;
      this.busySince = null;
    }
  }

  /** How long `units` more would take behind what is pending; 0 until the rate has been measured. */
  estimatedWaitMs(units = 0): number {
    return this.unitsPerMs ? (this.pendingUnits + units) / this.unitsPerMs : 0;
  }

  /** Re-measures the rate from the work done in the busy time since the last measurement. */
  measure(): void {
    const now = this.now();
    const busyMs = this.busyMs + (this.busySince === null ? 0 : now - this.busySince);
    // Nothing finished: no news about the rate (long requests still running say nothing yet).
    if (this.doneUnits > 0 && busyMs > 0) {
      const sample = this.doneUnits / busyMs;
      this.unitsPerMs = this.unitsPerMs === null ? sample : SMOOTHING * sample + (1 - SMOOTHING) * this.unitsPerMs;
      this.doneUnits = 0;
      this.busyMs = 0;
      if (this.busySince !== null) this.busySince = now;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
