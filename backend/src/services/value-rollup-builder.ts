import type { Logger } from 'pino';
import type { BuildOutcome, TenantDay, ValueRollupRepository } from '../repositories/value-rollup-repository.ts';

const MINUTE_MS = 60_000;

export interface ValueRollupBuilderOptions {
  /** A day is built once it has been over this long (most late events have arrived by then). */
  closedAfterMs: number;
  /** A day whose rollups went stale waits this long after its last build before the next. */
  rebuildAfterMs: number;
  /** Days built per run at most, so a run over a long backlog (a first start on old data) stays short. */
  maxDaysPerRun: number;
  /** Only this tenant's days (bulk loads build tenants side by side); all tenants' when unset. */
  tenantId?: number;
}

export const DEFAULT_VALUE_ROLLUP_OPTIONS: ValueRollupBuilderOptions = { closedAfterMs: 5 * MINUTE_MS, rebuildAfterMs: 10 * MINUTE_MS, maxDaysPerRun: 10 };

export type BuildReport = Record<BuildOutcome, number> & { pending: boolean };

/**
 * Keeps value rollups current: each run builds the closed days that have none or whose rollups went stale,
 * newest first (the days most questions cover). Any instance may run it; two never build the same day.
 */
export class ValueRollupBuilder {
  constructor(
    private readonly repository: Pick<ValueRollupRepository, 'pendingDays' | 'buildDay'>,
    private readonly options: ValueRollupBuilderOptions = DEFAULT_VALUE_ROLLUP_OPTIONS,
    private readonly logger?: Pick<Logger, 'info'>,
  ) {}

  async run(now = new Date(), onDay?: (day: TenantDay, outcome: BuildOutcome) => void): Promise<BuildReport> {
    const report: BuildReport = { built: 0, busy: 0, changed: 0, pending: false };
    const days = await this.repository.pendingDays(
      new Date(now.getTime() - this.options.closedAfterMs),
      new Date(now.getTime() - this.options.rebuildAfterMs),
      this.options.maxDaysPerRun + 1,
      this.options.tenantId ?? null,
    );
    report.pending = days.length > this.options.maxDaysPerRun;
    for (const day of days.slice(0, this.options.maxDaysPerRun)) {
      const outcome = await this.repository.buildDay(day);
      report[outcome] += 1;
      onDay?.(day, outcome);
    }
    if (report.built > 0) this.logger?.info({ ...report }, `value rollups: built ${report.built} day(s)${report.pending ? ', more to build' : ''}`);
    return report;
  }

  /** Runs until no day is pending (or only days others are building or being written to): for bulk loads. */
  async runToEnd(onDay?: (day: TenantDay, outcome: BuildOutcome) => void, onRun?: (builtSoFar: number) => void): Promise<number> {
    let built = 0;
    for (;;) {
      const report = await this.run(new Date(), onDay);
      built += report.built;
      onRun?.(built);
      if (!report.pending || report.built === 0) return built;
    }
  }
}
