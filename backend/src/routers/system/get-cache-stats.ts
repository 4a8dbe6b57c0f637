import { ZCacheStats } from '@pulse/shared/system';
import { readProcedure } from '../../trpc/trpc.ts';

/** This instance's cache counters and latencies (no tenant data, so any read key may see them). */
export const getCacheStats = readProcedure.output(ZCacheStats).query(({ ctx }) => ctx.services.system.cacheStats());
