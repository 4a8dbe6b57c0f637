import { setTimeout as sleep } from 'node:timers/promises';
import type { TBreakerStatus, TCacheStats, TSystemInfo, TSystemMetrics } from '@pulse/shared/system';
import type { LoadStatus } from '../infra/load/load-monitor.ts';
import type { SecondOfRequests } from '../infra/load/request-stats.ts';

/** Where this instance's live figures come from; each part keeps its own. */
export interface SystemSources {
  cacheStats(): TCacheStats;
  breakerStatuses(): TBreakerStatus[];
  spoolDepth(): Promise<number | null>;
  deadLetters(): Promise<{ events: number } | null>;
  loadStatus(): LoadStatus;
  lastSecondOfRequests(): SecondOfRequests;
  rateLimitRefusals(): Record<string, number>;
}

const METRICS_INTERVAL_MS = 1_000;

export class SystemService {
  constructor(
    private readonly info: TSystemInfo,
    private readonly sources: SystemSources,
  ) {}

  systemInfo(): TSystemInfo {
    return this.info;
  }

  cacheStats(): TCacheStats {
    return this.sources.cacheStats();
  }

  /** This instance now: the last full second of requests, breakers, cache, limits, shedding, spool. */
  async metrics(): Promise<TSystemMetrics> {
    const { sources } = this;
    const cache = sources.cacheStats();
    const load = sources.loadStatus();
    const requests = sources.lastSecondOfRequests();
    return {
      at: new Date().toISOString(),
      mode: this.info.mode,
      requests: { perSecond: requests.requests, latencyMs: requests.latencyMs, statuses: requests.statuses },
      breakers: sources.breakerStatuses(),
      cache: {
        hitRatio: cache.hitRatio,
        l1Hits: cache.counters.l1Hits,
        l2Hits: cache.counters.l2Hits,
        l1Entries: cache.l1Entries,
        invalidations: cache.counters.invalidations,
      },
      rateLimited: sources.rateLimitRefusals(),
      shed: load.shed,
      inFlight: load.inFlight,
      eventLoopDelayMs: Math.round(load.eventLoopDelayMs * 10) / 10,
      spoolDepth: await sources.spoolDepth(),
      deadLetterEvents: (await sources.deadLetters())?.events ?? null,
    };
  }

  /** A snapshot at once, then one a second until `signal` aborts. */
  async *metricsEverySecond(signal: AbortSignal): AsyncGenerator<TSystemMetrics> {
    while (!signal.aborted) {
      yield await this.metrics();
      await sleep(METRICS_INTERVAL_MS, undefined, { signal }).catch(() => {});
    }
  }
}
