import type { TAlertCondition, TAlertEvaluation, TAlertMetric, TAlertRule, TAlertState, TAlertWindow, TCreateAlertRuleRequest } from '@pulse/shared/alerts';
import type { TFilters } from '@pulse/shared/filters';
import type { TGoal } from '@pulse/shared/goals';
import type { TPlan } from '@pulse/shared/plans';
import { filterLabel } from './filter-labels.ts';
import { formatCount, formatMeasure } from './format.ts';

export const WINDOW_LABELS: Record<TAlertWindow, string> = { '5m': '5 minutes', '1h': '1 hour', '1d': '1 day' };
const PER_WINDOW: Record<TAlertWindow, string> = { '5m': '5 min', '1h': 'hour', '1d': 'day' };

export const STATE_LOOK: Record<TAlertState, { color: string; label: string }> = {
  firing: { color: 'red', label: 'Firing' },
  pending: { color: 'yellow', label: 'Pending' },
  resolved: { color: 'green', label: 'Resolved' },
  ok: { color: 'gray', label: 'OK' },
  no_data: { color: 'gray', label: 'No data' },
};

type TGoalName = Pick<TGoal, 'id' | 'name'>;

/**
 * `"signup" events per 5 min`, `events where Country is Germany per hour`, `conversions of goal "Signed up" per
 * day`: a goal by its name when `goals` holds it, else by its id (`goal 12`).
 */
export function describeMetric(metric: TAlertMetric, window: TAlertWindow, goals?: readonly TGoalName[]): string {
  return `${describeCounted(metric, goals)} per ${PER_WINDOW[window]}`;
}

function describeCounted(metric: TAlertMetric, goals?: readonly TGoalName[]): string {
  switch (metric.kind) {
    case 'visitors':
      return 'visitors';
    case 'goal': {
      const goal = goals?.find((candidate) => candidate.id === metric.goalId);
      return `conversions of goal ${goal ? `"${goal.name}"` : metric.goalId}`;
    }
    case 'events': {
      const events = metric.name ? `"${metric.name}" events` : 'events';
      const filters = metric.filters ?? [];
      return filters.length > 0 ? `${events} where ${filters.map(filterLabel).join(' and ')}` : events;
    }
  }
}

const CHANGE_DIRECTIONS = { up: 'up', down: 'down', either: 'up or down' } as const;
const ANOMALY_DIRECTIONS = { up: 'upwards', down: 'downwards', either: 'either way' } as const;

/** `above 100`, `up 50 % against a week before`, `anomalous (either way)`. */
export function describeCondition(condition: TAlertCondition): string {
  switch (condition.type) {
    case 'above':
    case 'below':
      return `${condition.type} ${formatMeasure(condition.value)}`;
    case 'change':
      return `${CHANGE_DIRECTIONS[condition.direction]} ${formatMeasure(condition.percent)} % against ${condition.against === 'previous' ? 'the previous window' : 'a week before'}`;
    case 'anomalous':
      return `anomalous (${ANOMALY_DIRECTIONS[condition.direction]})`;
  }
}

/** "3 of 5 rules, free plan"; "12 rules, enterprise plan (no limit)". */
export function describeRuleLimit(count: number, limit: number | null, plan: TPlan): string {
  if (limit === null) return `${formatCount(count)} ${count === 1 ? 'rule' : 'rules'}, ${plan} plan (no limit)`;
  return `${formatCount(count)} of ${formatCount(limit)} rules, ${plan} plan`;
}

/** Why no rule can be added, or null when one can. */
export function ruleLimitReason(count: number, limit: number | null, plan: TPlan): string | null {
  if (limit === null || count < limit) return null;
  return `The ${plan} plan allows ${formatCount(limit)} alert rules: delete one, or move to a plan that allows more.`;
}

/** The windows whose verdict changed the rule's state, newest first (as the history comes). */
export function stateChanges(evaluations: TAlertEvaluation[]): TAlertEvaluation[] {
  return evaluations.filter((evaluation) => evaluation.state !== evaluation.previousState);
}

export interface TAlertChartPoint {
  /** The window's end, ms since the epoch. */
  windowEnd: number;
  value: number | null;
  /** Lower and upper edges of the band the value was held against, when the condition has one. */
  band: [number, number] | null;
  breached: boolean;
}

/** The history as the chart draws it: oldest first, the band as one [lower, upper] pair. */
export function chartPoints(evaluations: TAlertEvaluation[]): TAlertChartPoint[] {
  return evaluations
    .map((evaluation) => ({
      windowEnd: Date.parse(evaluation.windowEnd),
      value: evaluation.value,
      band: evaluation.lower !== null && evaluation.upper !== null ? ([evaluation.lower, evaluation.upper] as [number, number]) : null,
      breached: evaluation.breached,
    }))
    .reverse();
}

/** The fixed line of an above/below rule; null for rules judged against a band that moves. */
export function thresholdOf(rule: Pick<TAlertRule, 'condition'>): number | null {
  return rule.condition.type === 'above' || rule.condition.type === 'below' ? rule.condition.value : null;
}

export type TMetricChoice = 'all' | 'named' | 'goal' | 'visitors';
export type TDirection = 'up' | 'down' | 'either';

/** The rule form's fields as typed: numbers may still be empty (""), the goal and the webhook are a Select's string id. */
export interface TAlertRuleDraft {
  name: string;
  metric: TMetricChoice;
  eventName: string;
  /** Counted events meet them all ('all' and 'named' metrics only). */
  filters: TFilters;
  goalId: string | null;
  window: TAlertWindow;
  condition: TAlertCondition['type'];
  value: number | string;
  direction: TDirection;
  percent: number | string;
  against: 'previous' | 'weekAgo';
  pendingWindows: number | string;
  cooldownMinutes: number | string;
  webhookId: string | null;
}

export const NEW_RULE_DRAFT: TAlertRuleDraft = {
  name: '',
  metric: 'named',
  eventName: '',
  filters: [],
  goalId: null,
  window: '1h',
  condition: 'above',
  value: 100,
  direction: 'up',
  percent: 50,
  against: 'previous',
  pendingWindows: 1,
  cooldownMinutes: 60,
  webhookId: null,
};

function metricFieldsOf(metric: TAlertMetric): Partial<TAlertRuleDraft> {
  switch (metric.kind) {
    case 'visitors':
      return { metric: 'visitors' };
    case 'goal':
      return { metric: 'goal', goalId: String(metric.goalId) };
    case 'events':
      return { metric: metric.name ? 'named' : 'all', eventName: metric.name ?? '', filters: metric.filters ?? [] };
  }
}

/** A rule as the form shows it for editing. */
export function draftOf(rule: TAlertRule): TAlertRuleDraft {
  const { condition } = rule;
  return {
    ...NEW_RULE_DRAFT,
    name: rule.name,
    ...metricFieldsOf(rule.metric),
    window: rule.window,
    condition: condition.type,
    ...(condition.type === 'above' || condition.type === 'below' ? { value: condition.value } : {}),
    ...(condition.type === 'change' ? { direction: condition.direction, percent: condition.percent, against: condition.against } : {}),
    ...(condition.type === 'anomalous' ? { direction: condition.direction } : {}),
    pendingWindows: rule.pendingWindows,
    cooldownMinutes: rule.cooldownMinutes,
    webhookId: rule.webhookId === null ? null : String(rule.webhookId),
  };
}

// An empty number field (or no goal chosen) goes as NaN, which the server refuses by the field's name instead of guessing a value.
const numberOf = (value: number | string) => (value === '' ? Number.NaN : Number(value));

/**
 * Why the draft's metric cannot be judged for anomalies, or null when it can: their baseline is read from the
 * rollups, which keep neither goals nor filtered events (the server refuses the pair too).
 */
export function anomalyUnavailableReason(draft: Pick<TAlertRuleDraft, 'metric' | 'filters'>): string | null {
  if (draft.metric === 'goal') return 'Anomalies are not judged for goals: use a threshold or a change.';
  if (draft.metric !== 'visitors' && draft.filters.length > 0) return 'Anomalies are not judged for filtered events: use a threshold or a change.';
  return null;
}

function metricOf(draft: TAlertRuleDraft): TAlertMetric {
  switch (draft.metric) {
    case 'visitors':
      return { kind: 'visitors' };
    case 'goal':
      return { kind: 'goal', goalId: numberOf(draft.goalId ?? '') };
    case 'all':
    case 'named':
      return {
        kind: 'events',
        ...(draft.metric === 'named' ? { name: draft.eventName.trim() } : {}),
        ...(draft.filters.length > 0 ? { filters: draft.filters } : {}),
      };
  }
}

function conditionOf(draft: TAlertRuleDraft): TAlertCondition {
  switch (draft.condition) {
    case 'above':
    case 'below':
      return { type: draft.condition, value: numberOf(draft.value) };
    case 'change':
      return { type: 'change', direction: draft.direction, percent: numberOf(draft.percent), against: draft.against };
    case 'anomalous':
      return { type: 'anomalous', direction: draft.direction };
  }
}

/** The request the form sends; the server checks it (and says what is wrong) against the shared schema. */
export function requestOf(draft: TAlertRuleDraft): TCreateAlertRuleRequest {
  return {
    name: draft.name.trim(),
    metric: metricOf(draft),
    window: draft.window,
    condition: conditionOf(draft),
    pendingWindows: numberOf(draft.pendingWindows),
    cooldownMinutes: numberOf(draft.cooldownMinutes),
    webhookId: draft.webhookId === null ? null : Number(draft.webhookId),
  };
}
