import { router } from '../../trpc/trpc.ts';
import { getBreakdown } from './get-breakdown.ts';
import { getCatalog } from './get-catalog.ts';
import { getFunnel } from './get-funnel.ts';
import { getGoalsReport } from './get-goals-report.ts';
import { getPropertyBreakdown } from './get-property-breakdown.ts';
import { getRetention } from './get-retention.ts';
import { getSummary } from './get-summary.ts';
import { getTimeseries } from './get-timeseries.ts';
import { getTopPages } from './get-top-pages.ts';
import { live } from './live.ts';

export const analyticsRouter = router({
  summary: getSummary,
  timeseries: getTimeseries,
  topPages: getTopPages,
  breakdown: getBreakdown,
  propertyBreakdown: getPropertyBreakdown,
  catalog: getCatalog,
  retention: getRetention,
  funnel: getFunnel,
  goals: getGoalsReport,
  live,
});
