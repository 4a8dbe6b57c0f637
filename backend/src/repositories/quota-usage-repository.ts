import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

const usageSelect = { used: true } satisfies Prisma.EventQuotaUsageSelect;
const planSelect = { plan: true } satisfies Prisma.TenantSelect;

export interface QuotaUsageRecord {
  /** The tenant's plan now: the one its next events are held to. */
  plan: string;
  /** Events stored in the period (0 before its first). */
  used: number;
}

/** Reads what the monthly quota counted; only EventRepository.insertMetered writes it, with the events. */
export class QuotaUsageRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The tenant's plan and its events in the period that starts at `periodStart`; null for a tenant that does not exist. */
  async usageIn(tenantId: number, periodStart: Date): Promise<QuotaUsageRecord | null> {
    const [tenant, usage] = await Promise.all([
      this.prisma.tenant.findUnique({ where: { id: tenantId }, select: planSelect }),
      this.prisma.eventQuotaUsage.findUnique({ where: { tenantId_periodStart: { tenantId, periodStart } }, select: usageSelect }),
    ]);
    return tenant === null ? null : { plan: tenant.plan, used: usage === null ? 0 : Number(usage.used) };
  }
}
