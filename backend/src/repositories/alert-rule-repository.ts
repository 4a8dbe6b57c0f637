import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { lockTenantRow } from './tenant-row-lock.ts';

const ruleSelect = {
  id: true,
  name: true,
  metric: true,
  windowSeconds: true,
  condition: true,
  pendingWindows: true,
  cooldownSeconds: true,
  webhookId: true,
  state: true,
  lastFiredAt: true,
  nextWindowEnd: true,
} satisfies Prisma.AlertRuleSelect;

export type AlertRuleRecord = Prisma.AlertRuleGetPayload<{ select: typeof ruleSelect }>;

export interface AlertRuleData {
  name: string;
  /** The shared ZAlertMetric and ZAlertCondition, already validated. */
  metric: Prisma.InputJsonValue;
  condition: Prisma.InputJsonValue;
  windowSeconds: number;
  pendingWindows: number;
  cooldownSeconds: number;
  webhookId: number | null;
}

/** A change of what a rule watches starts it afresh: state ok, from `nextWindowEnd`. */
export interface AlertRuleRestart {
  nextWindowEnd: Date;
}

export interface AlertRuleLimitReached {
  limitReached: { plan: string; limit: number };
}

const evaluationSelect = {
  windowEnd: true,
  value: true,
  baseline: true,
  lower: true,
  upper: true,
  breached: true,
  state: true,
  previousState: true,
} satisfies Prisma.AlertEvaluationSelect;

export type AlertEvaluationRecord = Prisma.AlertEvaluationGetPayload<{ select: typeof evaluationSelect }>;

/** A tenant's alert rules as records (the scheduler's reads and writes are in alert-schedule-repository.ts). */
export class AlertRuleRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async listForTenant(tenantId: number): Promise<AlertRuleRecord[]> {
    return this.prisma.alertRule.findMany({ where: { tenantId }, orderBy: { id: 'asc' }, select: ruleSelect });
  }

  async findById(tenantId: number, id: number): Promise<AlertRuleRecord | null> {
    return this.prisma.alertRule.findFirst({ where: { tenantId, id }, select: ruleSelect });
  }

  /** A new rule, unless the tenant has as many as `limitFor` its plan (null: no limit). */
  async createUnlessAtLimit(
    tenantId: number,
    data: AlertRuleData & AlertRuleRestart,
    limitFor: (plan: string) => number | null,
  ): Promise<AlertRuleRecord | AlertRuleLimitReached> {
    return this.prisma.$transaction(async (tx) => {
      const plan = (await lockTenantRow(tx, tenantId)) ?? 'free';
      const limit = limitFor(plan);
      if (limit !== null && (await tx.alertRule.count({ where: { tenantId } })) >= limit) return { limitReached: { plan, limit } };
      return tx.alertRule.create({ data: { tenantId, ...data }, select: ruleSelect });
    });
  }

  /**
   * The tenant's rule with this id, changed; null when there is no such rule. With `restart`, the rule starts
   * afresh (state ok, no breaches, the lease let go) from the window given.
   */
  async update(tenantId: number, id: number, data: Partial<AlertRuleData>, restart: AlertRuleRestart | null): Promise<AlertRuleRecord | null> {
    const fresh = restart ? { ...restart, state: 'ok', consecutiveBreaches: 0, leaseOwner: null, leaseUntil: null } : {};
    const result = await this.prisma.alertRule.updateMany({ where: { tenantId, id }, data: { ...data, ...fresh } });
    if (result.count === 0) return null;
    return this.findById(tenantId, id);
  }

  async delete(tenantId: number, id: number): Promise<boolean> {
    const result = await this.prisma.alertRule.deleteMany({ where: { tenantId, id } });
    return result.count > 0;
  }

  /** The rule's newest `limit` evaluations, newest first. */
  async history(tenantId: number, ruleId: number, limit: number): Promise<AlertEvaluationRecord[]> {
    return this.prisma.alertEvaluation.findMany({ where: { tenantId, ruleId }, orderBy: { windowEnd: 'desc' }, take: limit, select: evaluationSelect });
  }
}
