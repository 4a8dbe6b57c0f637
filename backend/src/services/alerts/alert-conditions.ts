import type { TAlertCondition } from '@pulse/shared/alerts';
import { WEEK_MS, anomalyHistoryWindowEnds, detectAnomaly, historyFromRows } from './anomaly/anomaly-detector.ts';

/** One window judged: its value, what it was held against, and whether the condition held (null: no data). */
export interface Judgement {
  /** Null when there was nothing to count (a rule's goal deleted since). */
  value: number | null;
  breached: boolean | null;
  /** The compared window's value (change rules) or the seasonal baseline (anomaly rules). */
  baseline: number | null;
  lower: number | null;
  upper: number | null;
}

/** The windows (by their ends) whose values a condition compares the judged window with. */
export function comparedWindowEnds(condition: TAlertCondition, windowEnd: Date, windowSeconds: number): Date[] {
  switch (condition.type) {
    case 'change':
      return [new Date(windowEnd.getTime() - (condition.against === 'previous' ? windowSeconds * 1_000 : WEEK_MS))];
    case 'anomalous':
      return anomalyHistoryWindowEnds({ windowEnd, windowMs: windowSeconds * 1_000 });
    default:
      return [];
  }
}

/**
 * Whether the condition holds for `value`, the metric in the window ending at `windowEnd`, given the values of
 * the windows `comparedWindowEnds` named (in the same order).
 */
export function judge(condition: TAlertCondition, windowEnd: Date, windowSeconds: number, value: number, compared: readonly number[]): Judgement {
  switch (condition.type) {
    case 'anomalous': {
      const ends = comparedWindowEnds(condition, windowEnd, windowSeconds);
      const history = historyFromRows(ends.map((end, index) => ({ windowEnd: end, value: compared[index] ?? 0 })));
      const verdict = detectAnomaly({ windowEnd, windowMs: windowSeconds * 1_000, value }, history);
      const band = { baseline: verdict.baseline, lower: verdict.lower, upper: verdict.upper };
      // Too little history or volume to tell: no data, rather than a guess either way.
      if (verdict.verdict === 'insufficient') return { value, breached: null, ...band };
      const breached = (verdict.verdict === 'high' && condition.direction !== 'down') || (verdict.verdict === 'low' && condition.direction !== 'up');
      return { value, breached, ...band };
    }
    case 'above':
      return { value, breached: value > condition.value, baseline: null, lower: null, upper: condition.value };
    case 'below':
      return { value, breached: value < condition.value, baseline: null, lower: condition.value, upper: null };
    case 'change': {
      const base = compared[0] ?? 0;
      // A change against an empty window is no percentage at all: no data, rather than an infinite rise.
      if (base === 0) return { value, breached: null, baseline: base, lower: null, upper: null };
      const factor = condition.percent / 100;
      const upper = condition.direction === 'down' ? null : base * (1 + factor);
      const lower = condition.direction === 'up' ? null : Math.max(0, base * (1 - factor));
      const breached = (upper !== null && value > upper) || (lower !== null && value < lower);
      return { value, breached, baseline: base, lower, upper };
    }
  }
}
