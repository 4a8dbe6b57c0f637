import type { AnalyticsService } from '@pulse/backend/services/analytics-service';

type Range = { from: string; to: string };

/** An unfiltered dashboard question, asked of an AnalyticsService over a range (bench:query, bench:compare). */
export interface DashboardQuestion {
  label: string;
  ask(service: AnalyticsService, tenantId: number, range: Range): Promise<unknown>;
}

export const DASHBOARD_QUESTIONS: DashboardQuestion[] = [
  { label: 'analytics.summary (with previous period)', ask: (service, tenantId, range) => service.summary(tenantId, range) },
  {
    label: 'analytics.timeseries, day, UTC',
    ask: (service, tenantId, range) => service.timeseries(tenantId, { ...range, granularity: 'day', timeZone: 'UTC' }),
  },
  {
    label: 'analytics.timeseries, hour, Europe/Berlin',
    ask: (service, tenantId, range) => service.timeseries(tenantId, { ...range, granularity: 'hour', timeZone: 'Europe/Berlin' }),
  },
  {
    // A zone whose hours start at :30 UTC: quarter-hour rollups (before those existed, minute rollups).
    label: 'analytics.timeseries, hour, Asia/Kolkata',
    ask: (service, tenantId, range) => service.timeseries(tenantId, { ...range, granularity: 'hour', timeZone: 'Asia/Kolkata' }),
  },
  { label: 'analytics.topPages', ask: (service, tenantId, range) => service.topPages(tenantId, { ...range, limit: 10 }) },
  { label: 'analytics.breakdown by device', ask: (service, tenantId, range) => service.breakdown(tenantId, { ...range, by: 'device', limit: 10 }) },
];
