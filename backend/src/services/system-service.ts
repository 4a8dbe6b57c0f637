import type { TCacheStats, TSystemInfo } from '@pulse/shared/system';

export class SystemService {
  constructor(
    private readonly info: TSystemInfo,
    private readonly readCacheStats: () => TCacheStats,
  ) {}

  systemInfo(): TSystemInfo {
    return this.info;
  }

  cacheStats(): TCacheStats {
    return this.readCacheStats();
  }
}
