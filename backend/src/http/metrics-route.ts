import type { RequestHandler } from 'express';
import type { TCacheStats } from '@pulse/shared/system';

/** Prometheus text exposition of this instance's cache figures (counters, latency histogram, L1 size). */
export function metricsHandler(readCacheStats: () => TCacheStats): RequestHandler {
  return (_req, res) => {
    const stats = readCacheStats();
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
