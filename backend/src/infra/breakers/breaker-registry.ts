import CircuitBreaker from 'opossum';
import { ZDependency, type TBreakerStatus, type TDependency } from '@pulse/shared/system';
import { InjectedFaultError, type FaultInjector } from './fault-injector.ts';

/** Every dependency call goes through one of these breakers; there are never more (no breaker per request). */
export const DEPENDENCIES = ZDependency.options;
export type Dependency = TDependency;

/** The shape crosses the wire (health, system page), so it is defined once, in shared/. */
export type BreakerStatus = TBreakerStatus;
export type BreakerState = BreakerStatus['state'];

export interface BreakerSettings {
  /** A call slower than this counts as failed (and its AbortSignal fires). */
  timeoutMs: number;
  /** Failed share of the calls in the window, in percent, at which the breaker opens… */
  errorThresholdPercentage: number;
  /** …once the window holds at least this many calls, so one early failure does not open it; this many
   *  failures in a row open it too (a dependency that hangs never fills a short window). */
  volumeThreshold: number;
  /** The rolling window the share is taken over. */
  windowMs: number;
  /** How long it stays open before one probe call may pass; each instance adds up to 20% jitter. */
  resetTimeoutMs: number;
}

export interface BreakerOptions {
  settings: Record<Dependency, BreakerSettings>;
  /** Errors that are the caller's fault (validation, not found): they never count against a dependency. */
  isCallerError: (error: unknown) => boolean;
  /** Which failures mean the dependency is out, as opposed to a bug in the call or bad input: only those count
   *  against its breaker and may be worked around. */
  isOutage: Record<Dependency, (error: unknown) => boolean>;
  /** This instance has more work than connections (a full pool): worked around like an outage (a 503, the spool)
   *  but not counted, since the dependency itself may be well. */
  isBusy?: Record<Dependency, (error: unknown) => boolean>;
  /** Told of every change (logged, and published live). */
  onStateChange?: (status: BreakerStatus) => void;
  /** Faults added on purpose (tests, the demo page); none unless given. */
  faults?: FaultInjector;
}

const REASON_TEXT = { open: 'circuit open', timeout: 'timed out', failed: 'call failed', busy: 'every connection busy' } as const;

/** The dependency cannot take calls now: its breaker is open, the call timed out, or the connection failed. */
export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailableError';

  constructor(
    readonly dependency: Dependency,
    readonly reason: 'open' | 'timeout' | 'failed' | 'busy',
    options?: { cause?: unknown },
  ) {
    super(`${dependency} is unavailable (${REASON_TEXT[reason]})`, options);
  }
}

type Action = (signal: AbortSignal) => Promise<unknown>;
type Breaker = CircuitBreaker<[Action, AbortSignal], unknown>;

/**
 * One opossum breaker per dependency, each instance deciding on its own (counters are never shared). A call
 * gets its own AbortController, so one timeout aborts that call only.
 */
export class BreakerRegistry {
  private readonly breakers: Record<Dependency, Breaker>;
  private readonly openedCount: Record<Dependency, number>;
  private readonly lastChangeAt: Record<Dependency, Date | null>;
  private readonly resetTimeouts = new Map<Dependency, number>();
  private readonly listeners = new Set<(status: BreakerStatus) => void>();

  constructor(private readonly options: BreakerOptions) {
    this.openedCount = Object.fromEntries(DEPENDENCIES.map((dependency) => [dependency, 0])) as Record<Dependency, number>;
    this.lastChangeAt = Object.fromEntries(DEPENDENCIES.map((dependency) => [dependency, null])) as Record<Dependency, Date | null>;
    this.breakers = Object.fromEntries(DEPENDENCIES.map((dependency) => [dependency, this.create(dependency)])) as typeof this.breakers;
  }

  /** Runs `action` through the dependency's breaker; outages come back as DependencyUnavailableError. */
  async run<T>(dependency: Dependency, action: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    try {
      return (await this.breakers[dependency].fire(action, controller.signal)) as T;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'EOPENBREAKER') throw new DependencyUnavailableError(dependency, 'open', { cause: error });
      if (code === 'ETIMEDOUT') {
        // The breaker has stopped waiting for this call; so should the dependency.
        controller.abort();
        throw new DependencyUnavailableError(dependency, 'timeout', { cause: error });
      }
      if (this.isDependencyFailure(dependency, error)) throw new DependencyUnavailableError(dependency, 'failed', { cause: error });
      if (this.options.isBusy?.[dependency](error)) throw new DependencyUnavailableError(dependency, 'busy', { cause: error });
      throw error;
    }
  }

  /** Only these count against the breaker: faults injected on purpose, and outages that are not the caller's doing. */
  private isDependencyFailure(dependency: Dependency, error: unknown): boolean {
    if (error instanceof InjectedFaultError) return true;
    return !this.options.isCallerError(error) && !this.options.isBusy?.[dependency](error) && this.options.isOutage[dependency](error);
  }

  state(dependency: Dependency): BreakerState {
    const breaker = this.breakers[dependency];
    if (breaker.opened) return 'open';
    return breaker.halfOpen ? 'half-open' : 'closed';
  }

  statuses(): BreakerStatus[] {
    return DEPENDENCIES.map((dependency) => this.status(dependency));
  }

  /** This instance's open time before a probe, jitter included. */
  resetTimeoutMs(dependency: Dependency): number {
    return this.resetTimeouts.get(dependency)!;
  }

  /** Runs `listener` whenever `dependency`'s breaker closes again. */
  /** Tells `listener` of every change from now until the returned function is called. */
  onStateChange(listener: (status: BreakerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onClose(dependency: Dependency, listener: () => void): void {
    this.breakers[dependency].on('close', listener);
  }

  /** Closes `dependency`'s breaker now if it is open or half-open (another path to it has proved it back). */
  closeNow(dependency: Dependency): void {
    const breaker = this.breakers[dependency];
    if (breaker.opened || breaker.halfOpen) breaker.close();
  }

  shutdown(): void {
    for (const breaker of Object.values(this.breakers)) breaker.shutdown();
  }

  private status(dependency: Dependency): BreakerStatus {
    const { fires, failures, timeouts, rejects } = this.breakers[dependency].stats;
    const calls = fires - rejects;
    return {
      dependency,
      state: this.state(dependency),
      failureRate: calls <= 0 ? 0 : Math.min(1, (failures + timeouts) / calls),
      callsInWindow: Math.max(0, calls),
      opened: this.openedCount[dependency],
      lastChangeAt: this.lastChangeAt[dependency]?.toISOString() ?? null,
    };
  }

  private create(dependency: Dependency): Breaker {
    const settings = this.options.settings[dependency];
    // Instances that opened together should not all probe at the same moment.
    this.resetTimeouts.set(dependency, Math.round(settings.resetTimeoutMs * (1 + Math.random() * 0.2)));
    const faults = this.options.faults;
    const call = faults
      ? async (action: Action, signal: AbortSignal) => {
          if (faults.affects(dependency)) await faults.apply(dependency, signal);
          return action(signal);
        }
      : (action: Action, signal: AbortSignal) => action(signal);
    const breaker = new CircuitBreaker(call, {
      name: dependency,
      timeout: settings.timeoutMs,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      volumeThreshold: settings.volumeThreshold,
      rollingCountTimeout: settings.windowMs,
      rollingCountBuckets: 10,
      resetTimeout: this.resetTimeouts.get(dependency),
      // opossum counts a filtered error as a success: everything but the dependency's own failures.
      errorFilter: (error: unknown) => !this.isDependencyFailure(dependency, error),
    });
    const changed = (state: BreakerState) => {
      if (state === 'open') this.openedCount[dependency] += 1;
      this.lastChangeAt[dependency] = new Date();
      const status = this.status(dependency);
      this.options.onStateChange?.(status);
      for (const listener of this.listeners) listener(status);
    };
    // The error share alone misses a dependency that hangs: calls that each wait out the timeout are too few
    // to fill a short window. As many failures in a row as the volume threshold open it as well.
    let failuresInARow = 0;
    breaker.on('success', () => {
      failuresInARow = 0;
    });
    breaker.on('failure', () => {
      failuresInARow += 1;
      if (failuresInARow >= settings.volumeThreshold && breaker.closed) breaker.open();
    });
    breaker.on('open', () => {
      failuresInARow = 0;
      changed('open');
    });
    breaker.on('halfOpen', () => changed('half-open'));
    breaker.on('close', () => changed('closed'));
    return breaker;
  }
}
