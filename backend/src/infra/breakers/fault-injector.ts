import { setTimeout as sleep } from 'node:timers/promises';
import type { Dependency } from './breaker-registry.ts';

export interface FaultSpec {
  /** Added before every call. */
  latencyMs: number;
  /** Share of calls (0–1) that fail as if the dependency were out. */
  errorRate: number;
  /** Every call fails as if the dependency were out. */
  outage: boolean;
}

export interface ActiveFault extends FaultSpec {
  dependency: Dependency;
  until: Date;
}

/** A failure made on purpose; the breakers treat it as an outage of the dependency. */
export class InjectedFaultError extends Error {
  override name = 'InjectedFaultError';
}

/**
 * Faults added to one instance's dependency calls, for tests and the demo page: each runs inside the
 * dependency's breaker, so latency counts against its timeout and failures against its error share.
 */
export class FaultInjector {
  private readonly faults = new Map<Dependency, ActiveFault>();

  constructor(private readonly now: () => number = Date.now) {}

  inject(dependency: Dependency, spec: FaultSpec, durationMs: number): ActiveFault {
    const fault = { dependency, ...spec, until: new Date(this.now() + durationMs) };
    this.faults.set(dependency, fault);
    return fault;
  }

  clear(): void {
    this.faults.clear();
  }

  active(): ActiveFault[] {
    return [...this.faults.values()].filter((fault) => this.isLive(fault));
  }

  /** Whether calls to `dependency` have a fault now (checked first, so calls without one pay nothing). */
  affects(dependency: Dependency): boolean {
    const fault = this.faults.get(dependency);
    return fault !== undefined && this.isLive(fault);
  }

  async apply(dependency: Dependency, signal: AbortSignal): Promise<void> {
    const fault = this.faults.get(dependency);
    if (!fault || !this.isLive(fault)) return;
    if (fault.latencyMs > 0) await sleep(fault.latencyMs, undefined, { signal });
    if (fault.outage || Math.random() < fault.errorRate) {
      throw new InjectedFaultError(`${dependency}: injected ${fault.outage ? 'outage' : 'failure'}`);
    }
  }

  private isLive(fault: ActiveFault): boolean {
    if (fault.until.getTime() > this.now()) return true;
    this.faults.delete(fault.dependency);
    return false;
  }
}
