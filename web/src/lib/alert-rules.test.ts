import { describe, expect, it } from 'vitest';
import { ZCreateAlertRuleRequest, type TAlertEvaluation, type TAlertRule } from '@pulse/shared/alerts';
import {
  chartPoints,
  describeCondition,
  describeMetric,
  describeRuleLimit,
  draftOf,
  NEW_RULE_DRAFT,
  requestOf,
  ruleLimitReason,
  stateChanges,
  thresholdOf,
} from './alert-rules.ts';

describe('describing a rule in words', () => {
  it('says what a rule counts per window', () => {
    expect(describeMetric({ kind: 'events', name: 'signup' }, '5m')).toBe('"signup" events per 5 min');
    expect(describeMetric({ kind: 'events' }, '1d')).toBe('events per day');
    expect(describeMetric({ kind: 'visitors' }, '1h')).toBe('visitors per hour');
  });

  it('says when a window breaches', () => {
    expect(describeCondition({ type: 'above', value: 100 })).toBe('above 100');
    expect(describeCondition({ type: 'below', value: 1_500.5 })).toBe('below 1,500.5');
    expect(describeCondition({ type: 'change', direction: 'up', percent: 50, against: 'weekAgo' })).toBe('up 50 % against a week before');
    expect(describeCondition({ type: 'change', direction: 'either', percent: 20, against: 'previous' })).toBe('up or down 20 % against the previous window');
    expect(describeCondition({ type: 'anomalous', direction: 'either' })).toBe('anomalous (either way)');
    expect(describeCondition({ type: 'anomalous', direction: 'down' })).toBe('anomalous (downwards)');
  });

  it("gives the plan's limit, and why no rule can be added at it", () => {
    expect(describeRuleLimit(3, 5, 'free')).toBe('3 of 5 rules, free plan');
    expect(describeRuleLimit(1, null, 'enterprise')).toBe('1 rule, enterprise plan (no limit)');
    expect(ruleLimitReason(4, 5, 'free')).toBeNull();
    expect(ruleLimitReason(5, 5, 'free')).toMatch(/free plan allows 5 alert rules/);
    expect(ruleLimitReason(500, null, 'enterprise')).toBeNull();
  });
});

const evaluation = (windowEnd: string, state: TAlertEvaluation['state'], previousState: TAlertEvaluation['state'], value = 1): TAlertEvaluation => ({
  windowEnd,
  value,
  baseline: null,
  lower: null,
  upper: null,
  breached: state === 'firing',
  state,
  previousState,
});

describe('history and chart', () => {
  const newestFirst = [
    evaluation('2026-12-04T10:15:00.000Z', 'ok', 'resolved'),
    evaluation('2026-12-04T10:10:00.000Z', 'resolved', 'firing'),
    evaluation('2026-12-04T10:05:00.000Z', 'firing', 'firing', 9),
    evaluation('2026-12-04T10:00:00.000Z', 'firing', 'ok', 7),
  ];

  it('keeps the windows that changed the state, newest first', () => {
    expect(stateChanges(newestFirst).map((change) => `${change.previousState}→${change.state}`)).toEqual(['resolved→ok', 'firing→resolved', 'ok→firing']);
  });

  it('draws oldest first, with a band only where the window had both edges', () => {
    const banded = { ...evaluation('2026-12-04T11:00:00.000Z', 'ok', 'ok'), lower: 2, upper: 8 };
    const points = chartPoints([banded, ...newestFirst]);
    expect(points.map((point) => point.windowEnd)).toEqual([...[...newestFirst].reverse(), banded].map((row) => Date.parse(row.windowEnd)));
    expect(points.at(-1)!.band).toEqual([2, 8]);
    expect(points[0]!.band).toBeNull();
    expect(points.filter((point) => point.breached)).toHaveLength(2);
  });
});

describe('the rule form', () => {
  const rule: TAlertRule = {
    id: 7,
    name: 'Errors spiking',
    metric: { kind: 'events', name: 'error' },
    window: '1h',
    condition: { type: 'change', direction: 'up', percent: 40, against: 'weekAgo' },
    pendingWindows: 2,
    cooldownMinutes: 30,
    webhookId: 3,
    state: 'ok',
    nextWindowEnd: '2026-12-04T11:00:00.000Z',
    lastFiredAt: null,
  };

  it('sends back the rule it was opened with, unchanged', () => {
    const { id: _id, state: _state, nextWindowEnd: _next, lastFiredAt: _fired, ...fields } = rule;
    expect(requestOf(draftOf(rule))).toEqual(fields);
  });

  it('sends a request the shared schema accepts, and leaves out the fields another condition would need', () => {
    const request = requestOf({ ...NEW_RULE_DRAFT, name: ' Probe ', eventName: 'signup', window: '5m', value: 3 });
    expect(request).toMatchObject({ name: 'Probe', metric: { kind: 'events', name: 'signup' }, condition: { type: 'above', value: 3 }, webhookId: null });
    expect(ZCreateAlertRuleRequest.safeParse(request).success).toBe(true);
    expect(requestOf({ ...NEW_RULE_DRAFT, metric: 'all', condition: 'anomalous', direction: 'either' })).toMatchObject({
      metric: { kind: 'events' },
      condition: { type: 'anomalous', direction: 'either' },
    });
  });

  it('sends an emptied number field as no number, for the server to name', () => {
    expect(ZCreateAlertRuleRequest.safeParse(requestOf({ ...NEW_RULE_DRAFT, name: 'x', eventName: 'y', value: '' })).success).toBe(false);
  });

  it('knows the fixed line of above and below rules only', () => {
    expect(thresholdOf({ condition: { type: 'above', value: 3 } })).toBe(3);
    expect(thresholdOf(rule)).toBeNull();
  });
});
