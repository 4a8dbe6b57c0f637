import { router } from '../../trpc/trpc.ts';
import { getCacheStats } from './get-cache-stats.ts';
import { getHealth } from './get-health.ts';
import { getSystemInfo } from './get-system-info.ts';
import { clearFaults, getFaults, injectFault } from './inject-fault.ts';
import { metrics } from './metrics.ts';

export const systemRouter = router({
  info: getSystemInfo,
  cacheStats: getCacheStats,
  health: getHealth,
  faults: getFaults,
  metrics,
  injectFault,
  clearFaults,
});
