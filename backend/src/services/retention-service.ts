import type { EventPartitions } from '../infra/db/event-partitions.ts';
import type { RetentionRepository } from '../repositories/retention-repository.ts';
import type { TenantRepository } from '../repositories/tenant-repository.ts';
import { RETENTION_DAYS_BY_PLAN, tenantRetentionDays } from './retention.ts';
import { minuteRollupCutoff } from './time-segments.ts';

const DAY_MS = 86_400_000;

export interface RetentionReport {
  deletedEvents: number;
  /** Minute rollups past their window (MINUTE_ROLLUP_HOURS): quarter-hours count those times from then on. */
  deletedMinuteRollups: number;
  droppedPartitions: string[];
}

/**
 * Enforces each tenant's retention: trims its data (events, rollups, audit log) to whole UTC days inside its
 * window (its own, within its plan's), and its minute rollups to their last two days; then drops the day
 * partitions that are past every plan's window.
 */
export class RetentionService {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly retention: RetentionRepository,
    private readonly partitions: EventPartitions,
  ) {}

  async enforce(now = new Date()): Promise<RetentionReport> {
    let deletedEvents = 0;
    let deletedMinuteRollups = 0;
    for (const tenant of await this.tenants.listAll()) {
      // Whole days only: a day's rollup row and that day's raw rows go together.
      deletedEvents += await this.retention.deleteTenantDataBefore(tenant.id, cutoffFor(now, tenantRetentionDays(tenant)));
      deletedMinuteRollups += await this.retention.deleteMinuteRollupsBefore(tenant.id, minuteRollupCutoff(now));
    }
    const longestRetention = Math.max(...Object.values(RETENTION_DAYS_BY_PLAN));
    const droppedPartitions = await this.partitions.dropDaysBefore(cutoffFor(now, longestRetention));
    return { deletedEvents, deletedMinuteRollups, droppedPartitions };
  }
}

function cutoffFor(now: Date, retentionDays: number): Date {
  return new Date(Math.floor((now.getTime() - retentionDays * DAY_MS) / DAY_MS) * DAY_MS);
}
