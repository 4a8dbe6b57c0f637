import { router } from '../../trpc/trpc.ts';
import { getCacheStats } from './get-cache-stats.ts';
import { getSystemInfo } from './get-system-info.ts';

export const systemRouter = router({
  info: getSystemInfo,
  cacheStats: getCacheStats,
});
