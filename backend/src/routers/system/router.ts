import { router } from '../../trpc/trpc.ts';
import { getCacheStats } from './get-cache-stats.ts';
import { getSystemInfo } from './get-system-info.ts';
import { clearFaults, getFaults, injectFault } from './inject-fault.ts';
import { metrics } from './metrics.ts';

export const systemRouter = router({
  info: getSystemInfo,
  cacheStats: getCacheStats,
  faults: getFaults,
  metrics,
  injectFault,
  clearFaults,
});
