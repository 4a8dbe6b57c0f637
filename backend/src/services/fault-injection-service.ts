import type { TActiveFaults, TInjectFault } from '@pulse/shared/system';
import { AppError } from '../errors/app-error.ts';
import type { Dependency } from '../infra/breakers/breaker-registry.ts';
import type { FaultInjector } from '../infra/breakers/fault-injector.ts';

const TARGETS: Record<TInjectFault['target'], Dependency[]> = {
  postgres: ['postgres-read', 'postgres-write'],
  'postgres-read': ['postgres-read'],
  'postgres-write': ['postgres-write'],
  redis: ['redis'],
};

/** Faults on purpose, for tests and the demo page: off unless FAULT_INJECTION=true, and on this instance only. */
export class FaultInjectionService {
  constructor(private readonly injector: FaultInjector | null) {}

  get enabled(): boolean {
    return this.injector !== null;
  }

  inject(fault: TInjectFault): TActiveFaults {
    const injector = this.enabledInjector();
    for (const dependency of TARGETS[fault.target]) {
      injector.inject(dependency, { latencyMs: fault.latencyMs, errorRate: fault.errorRate, outage: fault.outage }, fault.durationSeconds * 1_000);
    }
    return this.active();
  }

  clear(): TActiveFaults {
    this.enabledInjector().clear();
    return this.active();
  }

  active(): TActiveFaults {
    const faults = this.injector?.active() ?? [];
    return { faults: faults.map((fault) => ({ ...fault, until: fault.until.toISOString() })) };
  }

  private enabledInjector(): FaultInjector {
    if (!this.injector) {
      throw new AppError('FORBIDDEN', 'fault injection is off on this server; start it with FAULT_INJECTION=true to use it');
    }
    return this.injector;
  }
}
