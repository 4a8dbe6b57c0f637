import type { TUsageResponse } from '@pulse/shared/usage';
import { AppError } from '../errors/app-error.ts';
import type { QuotaUsageRepository } from '../repositories/quota-usage-repository.ts';
import { readFailure, type DatabaseReads } from './database-reads.ts';
import { planOf, type EventQuotas } from './event-quotas.ts';

/**
 * A tenant's events against its monthly quota, for the dashboard: what PostgreSQL counted as it stored them, and
 * the plan the next events are held to (read with it, not from the caller's key, which may predate a change).
 */
export class UsageService {
  constructor(
    private readonly quotas: Pick<EventQuotas, 'quotaFor' | 'periodAt'>,
    private readonly usage: Pick<QuotaUsageRepository, 'usageIn'>,
    private readonly reads: Pick<DatabaseReads, 'run'>,
  ) {}

  async current(tenantId: number, now = new Date()): Promise<TUsageResponse> {
    const period = this.quotas.periodAt(now);
    let record: Awaited<ReturnType<QuotaUsageRepository['usageIn']>>;
    try {
      record = await this.reads.run(tenantId, 1, () => this.usage.usageIn(tenantId, period.start));
    } catch (error) {
      throw readFailure(error);
    }
    if (record === null) throw new AppError('NOT_FOUND', `tenant ${tenantId} does not exist`);
    return {
      plan: planOf(record.plan),
      quota: this.quotas.quotaFor(record.plan),
      used: record.used,
      periodStart: period.start.toISOString(),
      resetsAt: period.end.toISOString(),
    };
  }
}
