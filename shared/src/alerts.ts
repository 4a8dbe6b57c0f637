import { z } from 'zod';
import { ZFilters } from './filters.ts';
import { ZPlan, type TPlan } from './plans.ts';
import { ZStorableString } from './text.ts';

/** How many alert rules a tenant of each plan may keep; null: no limit. */
export const MAX_ALERT_RULES_BY_PLAN: Record<TPlan, number | null> = { free: 5, pro: 50, enterprise: null };

/** Webhook endpoints a tenant may keep, whatever its plan (each rule names one). */
export const MAX_ALERT_WEBHOOKS = 20;

/** The windows a rule counts over, aligned to UTC: 5 minutes, an hour, a day. */
export const ALERT_WINDOWS = { '5m': 300, '1h': 3_600, '1d': 86_400 } as const;
export const ZAlertWindow = z.enum(['5m', '1h', '1d']).describe('The stretch of time the metric is counted over, aligned to UTC: 5 minutes, 1 hour, 1 day.');
export type TAlertWindow = z.infer<typeof ZAlertWindow>;

/**
 * ok: the condition does not hold; pending: it held for fewer windows in a row than the rule waits for (or the
 * rule is cooling down after firing); firing: it held long enough and a notification went out; resolved: it
 * stopped holding after firing (one window, then ok); no_data: the comparison the condition needs has nothing to
 * compare with (a change against an empty window, an anomaly without enough history).
 */
export const ALERT_STATES = ['ok', 'pending', 'firing', 'resolved', 'no_data'] as const;
export const ZAlertState = z.enum(ALERT_STATES);
export type TAlertState = z.infer<typeof ZAlertState>;

const ZRuleId = z.number().int().positive().max(2_147_483_647);

const ZEventName = ZStorableString.trim().min(1).max(200);

/**
 * What a rule watches: human events (all, or of one name) and distinct visitors are counted from the rollups, so
 * evaluating many rules stays cheap whatever the traffic; events meeting filters (those of the insights) and a
 * goal's conversions are counted from the window's raw events. Visitors are kept per hour and per day only.
 */
export const ZAlertMetric = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('events'),
    name: ZEventName.optional().describe('Only events of this name; every event when absent.'),
    filters: ZFilters.optional().describe('Only events meeting every filter (counted from raw events).'),
  }),
  z.object({ kind: z.literal('visitors') }),
  z.object({
    kind: z.literal('goal'),
    goalId: ZRuleId.describe("The goal whose conversions (matching events) are counted; a deleted goal's rule has no data."),
  }),
]);
export type TAlertMetric = z.infer<typeof ZAlertMetric>;

/**
 * When a window breaches: its value above or below a fixed value; a change of more than `percent` against the
 * previous window or the same window a week before; or anomalous against the same window of the past weeks.
 */
export const ZAlertCondition = z.discriminatedUnion('type', [
  z.object({ type: z.literal('above'), value: z.number().finite().min(0) }),
  z.object({ type: z.literal('below'), value: z.number().finite().min(0) }),
  z.object({
    type: z.literal('change'),
    direction: z.enum(['up', 'down', 'either']),
    percent: z.number().finite().positive().max(100_000),
    against: z.enum(['previous', 'weekAgo']).describe('The previous window, or the same window seven days before.'),
  }),
  z.object({
    type: z.literal('anomalous'),
    direction: z.enum(['up', 'down', 'either']).describe('Which side of the seasonal baseline counts as a breach.'),
  }),
]);
export type TAlertCondition = z.infer<typeof ZAlertCondition>;

const ZRuleName = ZStorableString.trim().min(1, 'give the rule a name').max(100, 'a rule name has at most 100 characters');

const ZRuleFields = z.object({
  name: ZRuleName,
  metric: ZAlertMetric,
  window: ZAlertWindow,
  condition: ZAlertCondition,
  pendingWindows: z.number().int().min(1).max(48).default(1).describe('Breaching windows in a row before the rule fires.'),
  cooldownMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(60)
    .describe('After firing, how long before the rule may fire again, however often the condition comes back.'),
  webhookId: ZRuleId.nullable().default(null).describe('Where notifications go; null: the dashboard only.'),
});

type RuleShape = { metric?: TAlertMetric; window?: TAlertWindow; condition?: TAlertCondition };
const visitorsNeedWholeHours = (rule: RuleShape) => !(rule.metric?.kind === 'visitors' && rule.window === '5m');
const VISITORS_WINDOW_MESSAGE = { message: 'visitors are counted per hour and per day: choose a 1h or 1d window', path: ['window'] };
// The baseline is the same window of past weeks, and five-minute counts are kept for two days only.
const anomaliesNeedWholeHours = (rule: RuleShape) => !(rule.condition?.type === 'anomalous' && rule.window === '5m');
// Its baseline reads some twenty past windows: from rollups, not from raw events.
const anomaliesNeedRollups = (rule: RuleShape) =>
  !(rule.condition?.type === 'anomalous' && (rule.metric?.kind === 'goal' || (rule.metric?.kind === 'events' && (rule.metric.filters?.length ?? 0) > 0)));
const ANOMALY_METRIC_MESSAGE = {
  message:
    'anomalies are judged for events (without filters) and visitors, whose past weeks the rollups keep; use a threshold or a change for goals and filtered events',
  path: ['condition'],
};
const ANOMALY_WINDOW_MESSAGE = { message: 'anomalies are judged against past weeks, kept per hour and per day: choose a 1h or 1d window', path: ['window'] };

export const ZCreateAlertRuleRequest = ZRuleFields.refine(visitorsNeedWholeHours, VISITORS_WINDOW_MESSAGE)
  .refine(anomaliesNeedWholeHours, ANOMALY_WINDOW_MESSAGE)
  .refine(anomaliesNeedRollups, ANOMALY_METRIC_MESSAGE);
export type TCreateAlertRuleRequest = z.input<typeof ZCreateAlertRuleRequest>;

export const ZUpdateAlertRuleRequest = ZRuleFields.partial()
  .extend({ id: ZRuleId })
  .refine(visitorsNeedWholeHours, VISITORS_WINDOW_MESSAGE)
  .refine(anomaliesNeedWholeHours, ANOMALY_WINDOW_MESSAGE)
  .refine(anomaliesNeedRollups, ANOMALY_METRIC_MESSAGE)
  .refine((request) => Object.keys(request).length > 1, { message: 'give at least one field to change' });
export type TUpdateAlertRuleRequest = z.input<typeof ZUpdateAlertRuleRequest>;

export const ZAlertRuleIdRequest = z.object({ id: ZRuleId });

export const ZDeleted = z.object({ id: z.number().int(), deleted: z.literal(true) });

export const ZAlertRule = z.object({
  id: z.number().int(),
  name: z.string(),
  metric: ZAlertMetric,
  window: ZAlertWindow,
  condition: ZAlertCondition,
  pendingWindows: z.number().int(),
  cooldownMinutes: z.number().int(),
  webhookId: z.number().int().nullable(),
  state: ZAlertState,
  /** The end of the next window the rule will judge (evaluated once that window has closed and settled). */
  nextWindowEnd: z.string(),
  lastFiredAt: z.string().nullable(),
});
export type TAlertRule = z.infer<typeof ZAlertRule>;

export const ZAlertRuleList = z.object({
  rules: z.array(ZAlertRule),
  /** The plan's limit; null: none. */
  limit: z.number().int().nullable(),
  plan: ZPlan,
});
export type TAlertRuleList = z.infer<typeof ZAlertRuleList>;

/** One evaluated window of a rule: its value, the band it was held against, and the state it left the rule in. */
export const ZAlertEvaluation = z.object({
  windowEnd: z.string(),
  value: z.number().nullable(),
  /** The seasonal baseline (anomaly rules) or the compared window's value (change rules); null otherwise. */
  baseline: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  breached: z.boolean(),
  state: ZAlertState,
  previousState: ZAlertState,
});
export type TAlertEvaluation = z.infer<typeof ZAlertEvaluation>;

export const ZAlertHistoryRequest = z.object({ id: ZRuleId, limit: z.number().int().min(1).max(2_000).default(288) });
export const ZAlertHistory = z.object({
  /** Newest first. */
  evaluations: z.array(ZAlertEvaluation),
});
export type TAlertHistory = z.infer<typeof ZAlertHistory>;

export const ZWebhookFormat = z.enum(['json', 'slack']).describe('json: Pulse\'s own body; slack: a body Slack\'s incoming webhooks accept ({"text": …}).');

export const ZCreateWebhookRequest = z.object({
  name: ZStorableString.trim().min(1, 'give the webhook a name').max(100),
  url: z.string().trim().max(2_000).url('give the full address, starting with https://'),
  format: ZWebhookFormat.default('json'),
});
export type TCreateWebhookRequest = z.input<typeof ZCreateWebhookRequest>;

export const ZWebhook = z.object({ id: z.number().int(), name: z.string(), url: z.string(), format: ZWebhookFormat, createdAt: z.string() });
export type TWebhook = z.infer<typeof ZWebhook>;

/** Shown once, when the webhook is created: receivers check each delivery's signature with it. */
export const ZCreatedWebhook = ZWebhook.extend({ secret: z.string() });

export const ZWebhookDeliveriesRequest = z
  .object({
    ruleId: ZRuleId.optional().describe("One rule's deliveries; every rule's when absent."),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .prefault({});

export const ZWebhookDelivery = z.object({
  id: z.string(),
  ruleId: z.number().int(),
  windowEnd: z.string(),
  kind: z.enum(['firing', 'resolved']),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(
    z.object({
      at: z.string(),
      outcome: z.enum(['delivered', 'retry', 'rejected']),
      statusCode: z.number().int().nullable(),
      durationMs: z.number().int(),
      error: z.string().nullable(),
    }),
  ),
});
export type TWebhookDelivery = z.infer<typeof ZWebhookDelivery>;
