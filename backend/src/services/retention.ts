/** How long a tenant's events are kept, by plan; older events are refused at ingestion and dropped later. */
export const RETENTION_DAYS_BY_PLAN: Record<string, number> = {
  free: 30,
  pro: 90,
  enterprise: 365,
};

export function retentionDaysFor(plan: string): number {
  return RETENTION_DAYS_BY_PLAN[plan] ?? RETENTION_DAYS_BY_PLAN.free!;
}

/** The days a tenant keeps: its own choice, within its plan's maximum. */
export function tenantRetentionDays(tenant: { plan: string; retentionDays: number | null }): number {
  const maximum = retentionDaysFor(tenant.plan);
  return tenant.retentionDays === null ? maximum : Math.min(tenant.retentionDays, maximum);
}
