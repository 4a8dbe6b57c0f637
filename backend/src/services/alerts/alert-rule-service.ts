import {
  ALERT_WINDOWS,
  MAX_ALERT_RULES_BY_PLAN,
  MAX_ALERT_WEBHOOKS,
  ZAlertCondition,
  ZAlertMetric,
  ZAlertState,
  ZCreateAlertRuleRequest,
  ZWebhookFormat,
  type TAlertHistory,
  type TAlertRule,
  type TAlertRuleList,
  type TAlertWindow,
  type TCreateAlertRuleRequest,
  type TCreateWebhookRequest,
  type TUpdateAlertRuleRequest,
  type TWebhook,
  type TWebhookDelivery,
} from '@pulse/shared/alerts';
import { ZPlan } from '@pulse/shared/plans';
import { AppError } from '../../errors/app-error.ts';
import { newWebhookSecret } from '../../infra/webhooks/webhook-signature.ts';
import type { WebhookUrlCheck } from '../../infra/webhooks/webhook-target.ts';
import type { AlertRuleData, AlertRuleRecord, AlertRuleRepository } from '../../repositories/alert-rule-repository.ts';
import type { AlertWebhookRecord, AlertWebhookRepository } from '../../repositories/alert-webhook-repository.ts';

const WINDOW_BY_SECONDS = new Map(Object.entries(ALERT_WINDOWS).map(([name, seconds]) => [seconds as number, name as TAlertWindow]));

/**
 * Where a new (or changed) rule starts: the window that closed last (windows are aligned to UTC), judged as soon
 * as it has settled, so a rule says at once whether it would fire now; then each window as it closes.
 */
export function lastClosedWindowEnd(now: Date, windowSeconds: number): Date {
  const windowMs = windowSeconds * 1_000;
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/**
 * Alert rules and the webhooks they notify: as many rules as the tenant's plan allows, webhooks only at
 * addresses Pulse may call (public ones, unless the install allows private networks).
 */
export class AlertRuleService {
  constructor(
    private readonly rules: AlertRuleRepository,
    private readonly webhooks: AlertWebhookRepository,
    private readonly checkUrl: (url: string) => Promise<WebhookUrlCheck>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async list(tenantId: number, plan: string): Promise<TAlertRuleList> {
    const tenantPlan = planOf(plan);
    return { rules: (await this.rules.listForTenant(tenantId)).map(toRule), limit: MAX_ALERT_RULES_BY_PLAN[tenantPlan], plan: tenantPlan };
  }

  async create(tenantId: number, request: TCreateAlertRuleRequest): Promise<TAlertRule> {
    const data = await this.ruleData(tenantId, request);
    const windowSeconds = data.windowSeconds!;
    const created = await this.rules.createUnlessAtLimit(
      tenantId,
      { ...(data as AlertRuleData), nextWindowEnd: lastClosedWindowEnd(this.clock(), windowSeconds) },
      (plan) => MAX_ALERT_RULES_BY_PLAN[planOf(plan)],
    );
    if ('limitReached' in created) {
      const { plan, limit } = created.limitReached;
      throw new AppError(
        'FORBIDDEN',
        `the ${plan} plan allows ${limit} alert rules and this tenant has ${limit}; delete a rule first, or move to a plan that allows more`,
      );
    }
    return toRule(created);
  }

  async update(tenantId: number, request: TUpdateAlertRuleRequest): Promise<TAlertRule> {
    const { id, ...changes } = request;
    const current = await this.rules.findById(tenantId, id);
    if (!current) throw noSuchRule(id);
    // The rule as it would be must still make sense as a whole (a new window for an anomaly rule, say).
    const merged = ZCreateAlertRuleRequest.safeParse({ ...toRule(current), ...changes });
    if (!merged.success) throw new AppError('BAD_REQUEST', merged.error.issues.map((issue) => issue.message).join('; '));
    const data = await this.ruleData(tenantId, changes);
    // What the rule watches changed: its past breaches and windows say nothing of the new question.
    const watchesAnew = changes.metric !== undefined || changes.window !== undefined || changes.condition !== undefined;
    const restart = watchesAnew ? { nextWindowEnd: lastClosedWindowEnd(this.clock(), ALERT_WINDOWS[merged.data.window]) } : null;
    const updated = await this.rules.update(tenantId, id, data, restart);
    if (!updated) throw noSuchRule(id);
    return toRule(updated);
  }

  async delete(tenantId: number, id: number): Promise<{ id: number; deleted: true }> {
    if (!(await this.rules.delete(tenantId, id))) throw noSuchRule(id);
    return { id, deleted: true };
  }

  async history(tenantId: number, id: number, limit: number): Promise<TAlertHistory> {
    if (!(await this.rules.findById(tenantId, id))) throw noSuchRule(id);
    const evaluations = await this.rules.history(tenantId, id, limit);
    return {
      evaluations: evaluations.map((evaluation) => ({
        ...evaluation,
        windowEnd: evaluation.windowEnd.toISOString(),
        state: ZAlertState.parse(evaluation.state),
        previousState: ZAlertState.parse(evaluation.previousState),
      })),
    };
  }

  async listWebhooks(tenantId: number): Promise<TWebhook[]> {
    return (await this.webhooks.listForTenant(tenantId)).map(toWebhook);
  }

  /** A new webhook with its signing secret, which is shown this once. */
  async createWebhook(tenantId: number, request: TCreateWebhookRequest): Promise<TWebhook & { secret: string }> {
    const check = await this.checkUrl(request.url);
    if (!check.ok) throw new AppError('BAD_REQUEST', check.reason);
    const secret = newWebhookSecret();
    const created = await this.webhooks.createUnlessAtLimit(
      tenantId,
      { name: request.name, url: check.url.toString(), secret, format: request.format ?? 'json' },
      MAX_ALERT_WEBHOOKS,
    );
    if (!created) throw new AppError('FORBIDDEN', `a tenant keeps at most ${MAX_ALERT_WEBHOOKS} webhooks; delete one before adding another`);
    return { ...toWebhook(created), secret };
  }

  async deleteWebhook(tenantId: number, id: number): Promise<{ id: number; deleted: true }> {
    if (!(await this.webhooks.delete(tenantId, id))) throw new AppError('NOT_FOUND', `this tenant has no webhook with id ${id}`);
    return { id, deleted: true };
  }

  /** The newest deliveries (of one rule, when given) with every attempt: what a receiver was sent and how it answered. */
  async deliveries(tenantId: number, ruleId: number | null, limit: number): Promise<TWebhookDelivery[]> {
    const deliveries = await this.webhooks.deliveries(tenantId, ruleId, limit);
    return deliveries.map((delivery) => ({
      id: delivery.id.toString(),
      ruleId: delivery.ruleId,
      windowEnd: delivery.windowEnd.toISOString(),
      kind: delivery.kind === 'resolved' ? 'resolved' : 'firing',
      status: delivery.status === 'delivered' ? 'delivered' : delivery.status === 'failed' ? 'failed' : 'pending',
      attempts: delivery.attempts.map((attempt) => ({
        at: attempt.attemptedAt.toISOString(),
        outcome: attempt.outcome === 'delivered' ? 'delivered' : attempt.outcome === 'retry' ? 'retry' : 'rejected',
        statusCode: attempt.statusCode,
        durationMs: attempt.durationMs,
        error: attempt.error,
      })),
    }));
  }

  private async ruleData(tenantId: number, request: Partial<TCreateAlertRuleRequest>): Promise<Partial<AlertRuleData>> {
    if (request.webhookId !== undefined && request.webhookId !== null && !(await this.webhooks.exists(tenantId, request.webhookId))) {
      throw new AppError('BAD_REQUEST', `this tenant has no webhook with id ${request.webhookId}; create it first, or leave webhookId null`);
    }
    return {
      name: request.name,
      metric: request.metric,
      condition: request.condition,
      windowSeconds: request.window === undefined ? undefined : ALERT_WINDOWS[request.window],
      pendingWindows: request.pendingWindows,
      cooldownSeconds: request.cooldownMinutes === undefined ? undefined : request.cooldownMinutes * 60,
      webhookId: request.webhookId,
    };
  }
}

function toRule(record: AlertRuleRecord): TAlertRule {
  return {
    id: record.id,
    name: record.name,
    metric: ZAlertMetric.parse(record.metric),
    window: WINDOW_BY_SECONDS.get(record.windowSeconds) ?? '1h',
    condition: ZAlertCondition.parse(record.condition),
    pendingWindows: record.pendingWindows,
    cooldownMinutes: Math.round(record.cooldownSeconds / 60),
    webhookId: record.webhookId,
    state: ZAlertState.parse(record.state),
    nextWindowEnd: record.nextWindowEnd.toISOString(),
    lastFiredAt: record.lastFiredAt?.toISOString() ?? null,
  };
}

const toWebhook = (record: AlertWebhookRecord): TWebhook => ({
  id: record.id,
  name: record.name,
  url: record.url,
  format: ZWebhookFormat.parse(record.format),
  createdAt: record.createdAt.toISOString(),
});

/** The tenant's plan as the plans know it (the database's enum holds the same names). */
const planOf = (plan: string) => ZPlan.catch('free').parse(plan);

const noSuchRule = (id: number) => new AppError('NOT_FOUND', `this tenant has no alert rule with id ${id}`);
