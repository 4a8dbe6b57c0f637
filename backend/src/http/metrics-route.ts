import type { RequestHandler } from 'express';
import type { TBreakerStatus, TCacheStats } from '@pulse/shared/system';
import type { LoadStatus } from '../infra/load/load-monitor.ts';

export interface MetricSources {
  cacheStats(): TCacheStats;
  breakerStatuses(): TBreakerStatus[];
  spoolDepth(): Promise<number | null>;
  loadStatus(): LoadStatus;
}

const BREAKER_STATE_VALUE: Record<TBreakerStatus['state'], number> = { closed: 0, 'half-open': 1, open: 2 };

/** Prometheus text exposition of this instance's figures: cache, circuit breakers, load shedding, spool. */
export function metricsHandler(sources: MetricSources): RequestHandler {
  return async (_req, res) => {
    const stats = sources.cacheStats();
    const breakers = sources.breakerStatuses();
    const spoolDepth = await sources.spoolDepth();
    const load = sources.loadStatus();
    const lines = [
      '# HELP pulse_cache_events_total Tag cache events by kind since the instance started.',
      '# TYPE pulse_cache_events_total counter',
      ...Object.entries(stats.counters).map(([kind, count]) => `pulse_cache_events_total{kind="${kind}"} ${count}`),
      '# HELP pulse_cache_read_seconds Time to answer a cached read (hit or load).',
      '# TYPE pulse_cache_read_seconds histogram',
      ...cumulativeBuckets(stats).map(({ le, count }) => `pulse_cache_read_seconds_bucket{le="${le}"} ${count}`),
      `pulse_cache_read_seconds_count ${stats.latency.buckets.reduce((sum, bucket) => sum + bucket.count, 0)}`,
      '# HELP pulse_cache_l1_entries Answers held in this instance\'s memory.',
      '# TYPE pulse_cache_l1_entries gauge',
      `pulse_cache_l1_entries ${stats.l1Entries}`,
      '# HELP pulse_cache_l1_tags Tags with at least one answer in this instance\'s memory.',
      '# TYPE pulse_cache_l1_tags gauge',
      `pulse_cache_l1_tags ${stats.l1KeysPerTag.tags}`,
      '# HELP pulse_cache_l1_keys_per_tag Answers per tag in this instance\'s memory (mean and max).',
      '# TYPE pulse_cache_l1_keys_per_tag gauge',
      `pulse_cache_l1_keys_per_tag{stat="mean"} ${stats.l1KeysPerTag.mean}`,
      `pulse_cache_l1_keys_per_tag{stat="max"} ${stats.l1KeysPerTag.max}`,
      '# HELP pulse_cache_l2_breaker_open 1 while the breaker in front of Redis is open.',
      '# TYPE pulse_cache_l2_breaker_open gauge',
      `pulse_cache_l2_breaker_open ${stats.l2 === 'open' ? 1 : 0}`,
      '# HELP pulse_breaker_state Circuit breaker per dependency: 0 closed, 1 half-open, 2 open.',
      '# TYPE pulse_breaker_state gauge',
      ...breakers.map((breaker) => `pulse_breaker_state{dependency="${breaker.dependency}"} ${BREAKER_STATE_VALUE[breaker.state]}`),
      '# HELP pulse_breaker_opened_total Times the breaker opened since the instance started.',
      '# TYPE pulse_breaker_opened_total counter',
      ...breakers.map((breaker) => `pulse_breaker_opened_total{dependency="${breaker.dependency}"} ${breaker.opened}`),
      '# HELP pulse_breaker_failure_ratio Failed share of the calls in the breaker\'s current window.',
      '# TYPE pulse_breaker_failure_ratio gauge',
      ...breakers.map((breaker) => `pulse_breaker_failure_ratio{dependency="${breaker.dependency}"} ${breaker.failureRate}`),
      '# HELP pulse_in_flight_requests Requests admitted and not yet answered.',
      '# TYPE pulse_in_flight_requests gauge',
      `pulse_in_flight_requests ${load.inFlight}`,
      '# HELP pulse_event_loop_delay_seconds Event-loop delay, p99 of the last sample.',
      '# TYPE pulse_event_loop_delay_seconds gauge',
      `pulse_event_loop_delay_seconds ${load.eventLoopDelayMs / 1_000}`,
      '# HELP pulse_shed_total Requests refused by admission control, by criticality.',
      '# TYPE pulse_shed_total counter',
      ...Object.entries(load.shed).map(([criticality, count]) => `pulse_shed_total{criticality="${criticality}"} ${count}`),
      ...(spoolDepth === null
        ? []
        : ['# HELP pulse_spool_depth Spooled requests waiting for PostgreSQL.', '# TYPE pulse_spool_depth gauge', `pulse_spool_depth ${spoolDepth}`]),
    ];
    res.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  };
}

function cumulativeBuckets(stats: TCacheStats): Array<{ le: string; count: number }> {
  let total = 0;
  return stats.latency.buckets.map((bucket) => {
    total += bucket.count;
    return { le: bucket.le === null ? '+Inf' : String(bucket.le / 1_000), count: total };
  });
}
