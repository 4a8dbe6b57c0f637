import type { TAlertCondition, TAlertMetric } from '@pulse/shared/alerts';
import type { ClaimedRule } from '../../repositories/alert-schedule-repository.ts';
import type { Judgement } from './alert-conditions.ts';

/** The JSON body a webhook receives (its `format: 'slack'` variant is made from it at sending time). */
export interface AlertPayload {
  type: 'alert.firing' | 'alert.resolved';
  tenantId: number;
  rule: { id: number; name: string; metric: TAlertMetric; window: string; condition: TAlertCondition };
  window: { start: string; end: string };
  value: number | null;
  baseline: number | null;
  lower: number | null;
  upper: number | null;
}

const WINDOW_NAMES: Record<number, string> = { 300: '5m', 3_600: '1h', 86_400: '1d' };

export function alertPayload(
  rule: Pick<ClaimedRule, 'tenantId' | 'id' | 'name' | 'windowSeconds'>,
  metric: TAlertMetric,
  condition: TAlertCondition,
  judgement: Judgement,
  windowEnd: Date,
  kind: 'firing' | 'resolved',
): AlertPayload {
  return {
    type: kind === 'firing' ? 'alert.firing' : 'alert.resolved',
    tenantId: rule.tenantId,
    rule: { id: rule.id, name: rule.name, metric, window: WINDOW_NAMES[rule.windowSeconds] ?? `${rule.windowSeconds}s`, condition },
    window: { start: new Date(windowEnd.getTime() - rule.windowSeconds * 1_000).toISOString(), end: windowEnd.toISOString() },
    value: judgement.value,
    baseline: judgement.baseline,
    lower: judgement.lower,
    upper: judgement.upper,
  };
}

/** The body Slack's incoming webhooks (and the chat tools that copy them) accept: one line of text. */
export function slackBody(payload: AlertPayload): { text: string } {
  const metric = payload.rule.metric;
  const what =
    metric.kind === 'visitors'
      ? 'visitors'
      : metric.kind === 'goal'
        ? `conversions of goal ${metric.goalId}`
        : `${metric.name ? `"${metric.name}" events` : 'events'}${metric.filters?.length ? ' (filtered)' : ''}`;
  const expected = payload.baseline === null ? '' : ` (expected about ${Math.round(payload.baseline)})`;
  const headline =
    payload.type === 'alert.firing'
      ? `:rotating_light: Pulse alert *${payload.rule.name}* is firing`
      : `:white_check_mark: Pulse alert *${payload.rule.name}* resolved`;
  return { text: `${headline}: ${payload.value} ${what} in the ${payload.rule.window} ending ${payload.window.end}${expected}.` };
}
