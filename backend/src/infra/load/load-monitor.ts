import { acceptQueueLength } from './accept-queue.ts';
import { Backlog } from './backlog.ts';

/** How important a request is; the server decides, from the route, never from anything the client sends. */
export type Criticality = 'critical' | 'default' | 'sheddable';

export interface LoadMonitorOptions {
  /** Requests in progress at which the instance is full: critical requests are refused only past this. */
  maxInFlight: number;
  /** Event-loop delay (the worst of the last half second) at which the instance counts as fully loaded. */
  maxEventLoopDelayMs: number;
  /** How often the event-loop delay is sampled. */
  sampleIntervalMs?: number;
  /** Critical work (ingestion) that would wait longer than this behind the critical work admitted is refused. */
  maxCriticalWaitMs?: number;
}

/** Pressure (0 = idle, 1 = full) from which each criticality is shed. Critical only on a full in-flight count. */
const SHED_AT: Record<Exclude<Criticality, 'critical'>, number> = { sheddable: 0.5, default: 0.8 };
/**
 * Sheddable work (exports) is heavy and optional: it may hold only this share of the in-flight capacity even
 * when the instance is calm, so a burst of it cannot queue up seconds of CPU ahead of everything else.
 */
const SHEDDABLE_SHARE = 0.1;
/**
 * Critical work (request bytes) always admitted while the in-flight count allows: a few full Segment batches,
 * enough to keep parsing and committing overlapped (and a burst on a cold instance is no overload).
 */
const ALWAYS_ADMITTED_CRITICAL_BYTES = 1024 * 1024;

export interface LoadStatus {
  inFlight: number;
  eventLoopDelayMs: number;
  /** The larger of in-flight and event-loop delay, each as a share of its limit. */
  pressure: number;
  shed: Record<Criticality, number>;
}

/**
 * Tracks how busy this instance is (requests in flight, event-loop delay) and decides admission: under
 * pressure the least critical work is refused first, so ingestion keeps its capacity.
 */
export class LoadMonitor {
  private inFlight = 0;
  private sheddableInFlight = 0;
  private eventLoopDelayMs = 0;
  private readonly shedCounts: Record<Criticality, number> = { critical: 0, default: 0, sheddable: 0 };
  private readonly timer: NodeJS.Timeout;
  private readonly recentDelaysMs: number[] = [];
  private acceptQueue = 0;
  private acceptQueueTimer: NodeJS.Timeout | null = null;
  private readonly criticalBacklog: Backlog | null;

  constructor(private readonly options: LoadMonitorOptions) {
    this.criticalBacklog =
      options.maxCriticalWaitMs === undefined ? null : new Backlog({ maxWaitMs: options.maxCriticalWaitMs, minPendingUnits: ALWAYS_ADMITTED_CRITICAL_BYTES });
    // How late a timer fires is how long everything else waits for the loop: the worst of the last few
    // samples stands, so one quiet tick right after a long block does not hide it.
    const intervalMs = options.sampleIntervalMs ?? 100;
    const samplesKept = Math.max(1, Math.round(500 / intervalMs));
    let lastTick = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      this.recentDelaysMs.push(Math.max(0, now - lastTick - intervalMs));
      if (this.recentDelaysMs.length > samplesKept) this.recentDelaysMs.shift();
      this.eventLoopDelayMs = Math.max(...this.recentDelaysMs);
      lastTick = now;
    }, intervalMs);
    this.timer.unref();
  }

  /** Watches the connections waiting in the kernel for this server (Linux; elsewhere nothing is seen there). */
  watchAcceptQueue(port: number, intervalMs = 100): void {
    let sampling = false;
    this.acceptQueueTimer = setInterval(() => {
      if (sampling) return;
      sampling = true;
      void acceptQueueLength(port)
        .then((waiting) => (this.acceptQueue = waiting ?? 0))
        // A reading that fails says nothing: the last one stands until the next.
        .catch(() => {})
        .finally(() => (sampling = false));
    }, intervalMs);
    this.acceptQueueTimer.unref();
  }

  /** Connections waiting in the kernel for this process, as last read (0 where the kernel does not say). */
  get connectionsWaiting(): number {
    return this.acceptQueue;
  }

  /** Requests in progress at which the instance is full. */
  get maxInFlight(): number {
    return this.options.maxInFlight;
  }

  pressure(): number {
    return Math.max(this.inFlight / this.options.maxInFlight, this.eventLoopDelayMs / this.options.maxEventLoopDelayMs);
  }

  /** Busy enough that optional work should be cheaper (coarser answers, no extras). */
  underPressure(): boolean {
    return this.pressure() >= SHED_AT.sheddable;
  }

  /**
   * Admits a request of this criticality (the caller must `release` it with the same `workUnits` when it ends),
   * or counts it shed. `workUnits` grows with the request's cost (its body's bytes): critical work is refused
   * once it would wait too long behind the critical work already admitted.
   */
  tryAdmit(criticality: Criticality, workUnits = 1): boolean {
    const admitted = this.admits(criticality) && (criticality !== 'critical' || (this.criticalBacklog?.tryAdd(workUnits) ?? true));
    if (!admitted) {
      this.shedCounts[criticality] += 1;
      return false;
    }
    this.inFlight += 1;
    if (criticality === 'sheddable') this.sheddableInFlight += 1;
    return true;
  }

  release(criticality: Criticality, workUnits = 1): void {
    if (criticality === 'critical') this.criticalBacklog?.done(workUnits);
    this.inFlight -= 1;
    if (criticality === 'sheddable') this.sheddableInFlight -= 1;
  }

  private admits(criticality: Criticality): boolean {
    if (criticality === 'critical') return this.inFlight < this.options.maxInFlight;
    if (criticality === 'sheddable' && this.sheddableInFlight >= Math.max(1, Math.floor(this.options.maxInFlight * SHEDDABLE_SHARE))) return false;
    return this.pressure() < SHED_AT[criticality];
  }

  status(): LoadStatus {
    return {
      inFlight: this.inFlight,
      eventLoopDelayMs: this.eventLoopDelayMs,
      pressure: this.pressure(),
      shed: { ...this.shedCounts },
    };
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.acceptQueueTimer) clearInterval(this.acceptQueueTimer);
    this.criticalBacklog?.stop();
  }
}
