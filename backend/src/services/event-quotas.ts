import { MONTHLY_EVENT_QUOTA_BY_PLAN, PLANS, type TPlan } from '@pulse/shared/plans';
import { AppError } from '../errors/app-error.ts';
import type { QuotaMetering, QuotaRefusal } from '../repositories/event-repository.ts';

/** Events a tenant of each plan may store per period; null: no quota. */
export type QuotaTable = Record<TPlan, number | null>;

export interface QuotaPeriod {
  start: Date;
  /** When the next period starts and the count begins again from zero. */
  end: Date;
}

export interface EventQuotaOptions {
  quotaByPlan: QuotaTable;
  /** The length of a period; unset: calendar months in UTC. Shorter only for tests and demos. */
  periodSeconds?: number;
}

/** The default table with some plans' quotas replaced, as EVENT_QUOTAS='{"free":300}' does. */
export function quotasWith(overrides: Partial<QuotaTable>): QuotaTable {
  return { ...MONTHLY_EVENT_QUOTA_BY_PLAN, ...overrides };
}

/**
 * The rules of the monthly event quota: which period an instant falls in, each plan's quota, what a write counts
 * under, and what a caller past the quota is told. The counting itself is exact because it happens in PostgreSQL,
 * in the transaction that stores the events (EventRepository.insertMetered).
 */
export class EventQuotas {
  constructor(private readonly options: EventQuotaOptions) {}

  /** A plan the table does not know is held to the free plan's quota, as it is to its rate limits. */
  quotaFor(plan: string): number | null {
    return this.options.quotaByPlan[planOf(plan)];
  }

  periodAt(at: Date): QuotaPeriod {
    const { periodSeconds } = this.options;
    if (periodSeconds !== undefined) {
      // Aligned to the Unix epoch, so every instance agrees on the boundaries.
      const lengthMs = periodSeconds * 1_000;
      const start = Math.floor(at.getTime() / lengthMs) * lengthMs;
      return { start: new Date(start), end: new Date(start + lengthMs) };
    }
    return { start: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)), end: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)) };
  }

  /**
   * What a write at `at` counts its events under: the period running then and the plans' quotas. Spooled events
   * were acknowledged already, so their write (`enforce` false) counts them and never refuses one.
   */
  metering(at: Date, enforce: boolean): QuotaMetering {
    return { periodStart: this.periodAt(at).start, quotaOf: enforce ? (plan) => this.quotaFor(plan) : null };
  }

  /** Why events were refused, the same words on every ingestion route. */
  describe(refusal: QuotaRefusal): string {
    const resetsAt = this.periodAt(refusal.periodStart).end.toISOString();
    return (
      `monthly event quota reached: the ${refusal.plan} plan allows ${refusal.quota.toLocaleString('en-US')} events per ${this.periodName()} ` +
      `and this tenant has stored them all; events are accepted again from ${resetsAt}, when the quota resets (upgrade the plan to send more before then)`
    );
  }

  /** The answer to a request none of whose events could be stored for the quota: 429 QUOTA_EXCEEDED, Retry-After until the reset. */
  exceeded(refusal: QuotaRefusal, now = new Date()): AppError {
    const resetsInMs = this.periodAt(refusal.periodStart).end.getTime() - now.getTime();
    return new AppError('QUOTA_EXCEEDED', this.describe(refusal), { retryAfterSeconds: Math.max(1, Math.ceil(resetsInMs / 1_000)) });
  }

  private periodName(): string {
    const { periodSeconds } = this.options;
    return periodSeconds === undefined ? 'calendar month (UTC)' : `period of ${periodSeconds.toLocaleString('en-US')} s`;
  }
}

/** A plan the table does not know counts as free. */
export function planOf(plan: string): TPlan {
  return (PLANS as readonly string[]).includes(plan) ? (plan as TPlan) : 'free';
}
