import { describe, expect, it } from 'vitest';
import { ZCreateAlertRuleRequest, type TAlertEvaluation, type TAlertRule } from '@pulse/shared/alerts';
import type { TFilters } from '@pulse/shared/filters';
import {
  anomalyUnavailableReason,
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

  it('names a goal when the goals are at hand, else gives its id', () => {
    const goals = [{ id: 12, name: 'Signed up' }];
    expect(describeMetric({ kind: 'goal', goalId: 12 }, '1h', goals)).toBe('conversions of goal "Signed up" per hour');
    expect(describeMetric({ kind: 'goal', goalId: 12 }, '1h')).toBe('conversions of goal 12 per hour');
    expect(describeMetric({ kind: 'goal', goalId: 13 }, '1d', goals)).toBe('conversions of goal 13 per day');
  });

  it("says which events a filtered rule counts, in the filter chips' words", () => {
    expect(describeMetric({ kind: 'events', name: 'signup', filters: [{ field: 'country', operator: 'is', value: 'DE' }] }, '5m')).toBe(
      '"signup" events where Country is Germany per 5 min',
    );
    expect(
      describeMetric(
        {
          kind: 'events',
          filters: [
            { field: 'path', operator: 'startsWith', value: '/docs' },
            { field: 'property', key: 'plan', operator: 'isSet' },
          ],
        },
        '1h',
      ),
    ).toBe('events where Page starts with /docs and Property plan is set per hour');
    expect(describeMetric({ kind: 'events', name: 'signup', filters: [] }, '1h')).toBe('"signup" events per hour');
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
    expect(ZCreateAlertRuleRequest.safeParse(requestOf({ ...NEW_RULE_DRAFT, name: 'x', metric: 'goal' })).success).toBe(false);
  });

  it("opens a goal's rule and a filtered rule with their goal and filters, and sends them back unchanged", () => {
    const filters: TFilters = [{ field: 'country', operator: 'is', value: 'DE' }];
    const metrics: TAlertRule['metric'][] = [
      { kind: 'goal', goalId: 12 },
      { kind: 'events', name: 'signup', filters },
    ];
    for (const metric of metrics) {
      const { id: _id, state: _state, nextWindowEnd: _next, lastFiredAt: _fired, ...fields } = { ...rule, metric };
      expect(requestOf(draftOf({ ...rule, metric }))).toEqual(fields);
    }
    expect(draftOf({ ...rule, metric: { kind: 'goal', goalId: 12 } })).toMatchObject({ metric: 'goal', goalId: '12' });
    expect(draftOf({ ...rule, metric: { kind: 'events', filters } })).toMatchObject({ metric: 'all', filters });
  });

  it('sends filters with events only, and none when the list is empty', () => {
    const filters: TFilters = [{ field: 'country', operator: 'is', value: 'DE' }];
    expect(requestOf({ ...NEW_RULE_DRAFT, metric: 'all', filters }).metric).toEqual({ kind: 'events', filters });
    expect(requestOf({ ...NEW_RULE_DRAFT, metric: 'named', eventName: 'signup' }).metric).toEqual({ kind: 'events', name: 'signup' });
    expect(requestOf({ ...NEW_RULE_DRAFT, metric: 'visitors', filters }).metric).toEqual({ kind: 'visitors' });
    expect(requestOf({ ...NEW_RULE_DRAFT, metric: 'goal', goalId: '4', filters }).metric).toEqual({ kind: 'goal', goalId: 4 });
  });

  it('offers anomalies for unfiltered events and visitors only, as the server judges them', () => {
    const filters: TFilters = [{ field: 'country', operator: 'is', value: 'DE' }];
    expect(anomalyUnavailableReason({ metric: 'named', filters: [] })).toBeNull();
    expect(anomalyUnavailableReason({ metric: 'visitors', filters })).toBeNull();
    expect(anomalyUnavailableReason({ metric: 'goal', filters: [] })).toMatch(/not judged for goals/);
    expect(anomalyUnavailableReason({ metric: 'all', filters })).toMatch(/not judged for filtered events/);
    const refused = requestOf({ ...NEW_RULE_DRAFT, name: 'x', metric: 'all', filters, condition: 'anomalous' });
    expect(ZCreateAlertRuleRequest.safeParse(refused).success).toBe(false);
  });

  it('knows the fixed line of above and below rules only', () => {
    expect(thresholdOf({ condition: { type: 'above', value: 3 } })).toBe(3);
    expect(thresholdOf(rule)).toBeNull();
  });
});
