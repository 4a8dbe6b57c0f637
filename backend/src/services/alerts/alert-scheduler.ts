import { ZAlertCondition, ZAlertMetric, ZAlertState, type TAlertCondition, type TAlertMetric } from '@pulse/shared/alerts';
import type { TLiveAlertChange } from '@pulse/shared/live';
import type { Logger } from '../../infra/logger.ts';
import type { AlertMetricRepository } from '../../repositories/alert-metric-repository.ts';
import type { AlertScheduleRepository, ClaimedRule, WindowVerdict } from '../../repositories/alert-schedule-repository.ts';
import { comparedWindowEnds, judge, type Judgement } from './alert-conditions.ts';
import { alertPayload } from './alert-payload.ts';
import { nextProgress } from './alert-states.ts';

export interface AlertSchedulerOptions {
  /** Names this instance in leases and in the evaluations it writes. */
  owner: string;
  /** How long a claimed rule stays this instance's without a word from it: another instance takes over after. */
  leaseMs: number;
  /** How long after a window closes it is judged, so that events sent late (batched, retried) count in it. */
  settleMs: number;
  /** Rules claimed per tick. */
  batchSize: number;
  /** A rule further behind than this (an outage) skips to the windows it can still judge from the rollups. */
  maxCatchUpMs: number;
  clock?: () => Date;
}

/** Rules judged side by side in a tick (each holds at most one database connection at a time). */
const RULES_JUDGED_AT_ONCE = 4;

/** A rule's windows judged in one tick, at most: a long catch-up goes on at the next tick, lease renewed. */
const MAX_WINDOWS_PER_TICK = 48;

/**
 * Judges alert rules window by window, across instances: each tick leases the rules that are due (SKIP LOCKED,
 * so no two instances hold the same rule), judges each window that has closed and settled, and writes the verdict
 * with the rule's new state and any notification it owes in one transaction, only while this instance still
 * holds the rule at that window. An instance that dies stops renewing its leases; when they run out another
 * instance claims the rules and goes on from the first window not written. The evaluation's key (rule, window)
 * keeps any window from being judged, and so notified, twice.
 */
export class AlertScheduler {
  private readonly clock: () => Date;

  constructor(
    private readonly schedule: AlertScheduleRepository,
    private readonly metrics: AlertMetricRepository,
    private readonly options: AlertSchedulerOptions,
    private readonly logger: Logger,
    /** Told of each state change once it is written, for the live badge. */
    private readonly onStateChange: (tenantId: number, change: TLiveAlertChange) => void = () => {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** One pass: claims due rules and judges their closed windows. Returns how many windows were judged. */
  async tick(): Promise<number> {
    const now = this.clock();
    const claimed = await this.schedule.claimDue(
      this.options.owner,
      now,
      new Date(now.getTime() - this.options.settleMs),
      this.leaseUntil(),
      this.options.batchSize,
    );
    let judged = 0;
    // A few rules at a time, so that one rule's slow window (a day of raw events for a goal) holds up one lane, not the tick.
    const queue = [...claimed];
    const judgeQueued = async () => {
      for (let rule = queue.shift(); rule; rule = queue.shift()) {
        try {
          judged += await this.judgeDueWindows(rule);
        } catch (error) {
          this.logger.warn(
            { err: error, tenantId: rule.tenantId, ruleId: rule.id },
            'an alert rule could not be evaluated; it is tried again when its lease runs out',
          );
        }
      }
    };
    await Promise.all(Array.from({ length: RULES_JUDGED_AT_ONCE }, judgeQueued));
    return judged;
  }

  private async judgeDueWindows(rule: ClaimedRule): Promise<number> {
    const metric = ZAlertMetric.parse(rule.metric);
    const condition = ZAlertCondition.parse(rule.condition);
    const windowMs = rule.windowSeconds * 1_000;
    let windowEnd = rule.nextWindowEnd;
    const oldestJudged = this.clock().getTime() - this.options.maxCatchUpMs;
    if (windowEnd.getTime() < oldestJudged) {
      const skipped = Math.ceil((oldestJudged - windowEnd.getTime()) / windowMs);
      const resumeAt = new Date(windowEnd.getTime() + skipped * windowMs);
      if (!(await this.schedule.skipTo(this.options.owner, rule.tenantId, rule.id, windowEnd, resumeAt))) return 0;
      this.logger.warn(
        { tenantId: rule.tenantId, ruleId: rule.id, skipped },
        'an alert rule fell behind further than it can catch up; its oldest windows were skipped',
      );
      windowEnd = resumeAt;
    }
    let progress = { state: ZAlertState.parse(rule.state), consecutiveBreaches: rule.consecutiveBreaches, lastFiredAt: rule.lastFiredAt };
    let judged = 0;
    while (judged < MAX_WINDOWS_PER_TICK && windowEnd.getTime() <= this.clock().getTime() - this.options.settleMs) {
      const judgement = await this.judgeWindow(rule.tenantId, metric, condition, rule.windowSeconds, windowEnd);
      const step = nextProgress(progress, judgement.breached, windowEnd, { pendingWindows: rule.pendingWindows, cooldownMs: rule.cooldownSeconds * 1_000 });
      const verdict: WindowVerdict = {
        windowEnd,
        value: judgement.value,
        baseline: judgement.baseline,
        lower: judgement.lower,
        upper: judgement.upper,
        breached: judgement.breached === true,
        previousState: progress.state,
        state: step.progress.state,
        consecutiveBreaches: step.progress.consecutiveBreaches,
        lastFiredAt: step.progress.lastFiredAt,
        nextWindowEnd: new Date(windowEnd.getTime() + windowMs),
        delivery:
          step.notify && rule.webhookId !== null
            ? { webhookId: rule.webhookId, kind: step.notify, payload: alertPayload(rule, metric, condition, judgement, windowEnd, step.notify) }
            : null,
      };
      if (!(await this.schedule.recordVerdict(this.options.owner, rule.tenantId, rule.id, verdict, this.leaseUntil()))) return judged;
      if (verdict.state !== verdict.previousState) {
        this.onStateChange(rule.tenantId, { ruleId: rule.id, name: rule.name, state: step.progress.state, windowEnd: windowEnd.toISOString() });
      }
      progress = step.progress;
      windowEnd = verdict.nextWindowEnd;
      judged++;
    }
    return judged;
  }

  private async judgeWindow(tenantId: number, metric: TAlertMetric, condition: TAlertCondition, windowSeconds: number, windowEnd: Date): Promise<Judgement> {
    const compared = comparedWindowEnds(condition, windowEnd, windowSeconds);
    const values = await this.valuesOf(tenantId, metric, windowSeconds, [windowEnd, ...compared]);
    // A goal deleted since the rule was made: nothing to count.
    if (values === null) return { value: null, breached: null, baseline: null, lower: null, upper: null };
    const [value, ...comparedValues] = values;
    return judge(condition, windowEnd, windowSeconds, value!, comparedValues);
  }

  private valuesOf(tenantId: number, metric: TAlertMetric, windowSeconds: number, windowEnds: Date[]): Promise<number[] | null> {
    switch (metric.kind) {
      case 'events':
        return metric.filters && metric.filters.length > 0
          ? this.metrics.filteredEventCounts(tenantId, metric.name, metric.filters, windowSeconds, windowEnds)
          : this.metrics.eventCounts(tenantId, metric.name, windowSeconds, windowEnds);
      case 'visitors':
        return this.metrics.visitorCounts(tenantId, windowSeconds, windowEnds);
      case 'goal':
        return this.metrics.goalConversions(tenantId, metric.goalId, windowSeconds, windowEnds);
    }
  }

  private leaseUntil(): Date {
    return new Date(this.clock().getTime() + this.options.leaseMs);
  }
}
