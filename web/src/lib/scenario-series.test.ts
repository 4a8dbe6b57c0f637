import { describe, expect, it } from 'vitest';
import type { TScenarioSample } from '@pulse/shared/scenarios';
import type { TBreakerStatus } from '@pulse/shared/system';
import { breakerTimelinesOf, chartRowsOf, statusesOf, thinSamples } from './scenario-series.ts';

function sample(elapsedMs: number, statuses: Record<string, number>, postgresRead: TBreakerStatus['state'] = 'closed'): TScenarioSample {
  const breaker = (dependency: TBreakerStatus['dependency'], state: TBreakerStatus['state']): TBreakerStatus => ({
    dependency,
    state,
    failureRate: 0,
    callsInWindow: 0,
    opened: 0,
    lastChangeAt: null,
  });
  return {
    type: 'sample',
    at: new Date(elapsedMs).toISOString(),
    elapsedMs,
    progress: 0,
    phase: 'steady',
    traffic: { perSecond: 10, statuses, latencyMs: { p50: 1, p95: 2, p99: null } },
    server: {
      at: new Date(elapsedMs).toISOString(),
      mode: 'services',
      requests: { perSecond: 12, latencyMs: { p50: 1, p95: 2, p99: 3 }, statuses: { '2xx': 12, '3xx': 0, '4xx': 0, '5xx': 0 } },
      breakers: [breaker('postgres-read', postgresRead), breaker('redis', 'closed')],
      cache: { hitRatio: 0.5, l1Hits: 0, l2Hits: 0, l1Entries: 0, invalidations: 0 },
      rateLimited: {},
      shed: {},
      inFlight: 0,
      eventLoopDelayMs: 0,
      spoolDepth: null,
      deadLetterEvents: null,
    },
  };
}

describe('scenario series', () => {
  it('charts every status in every second, zero where a second had none, "failed" last', () => {
    const samples = [sample(1_000, { '200': 5, failed: 1 }), sample(2_000, { '503': 2, '200': 3 })];
    expect(statusesOf(samples)).toEqual(['200', '503', 'failed']);
    const [first, second] = chartRowsOf(samples);
    expect(first).toMatchObject({ seconds: 1, 'status-200': 5, 'status-503': 0, 'status-failed': 1, cacheHitPercent: 50, p99: null });
    expect(second).toMatchObject({ seconds: 2, 'status-200': 3, 'status-503': 2, 'status-failed': 0 });
  });

  it('turns per-second breaker states into stretches that add up to the whole run', () => {
    const samples = [sample(1_000, {}), sample(2_000, {}, 'open'), sample(3_000, {}, 'open'), sample(4_000, {}, 'half-open'), sample(5_000, {})];
    const [postgresRead, redis] = breakerTimelinesOf(samples);
    expect(postgresRead?.stretches.map(({ state, fromMs, toMs }) => [state, fromMs, toMs])).toEqual([
      ['closed', 0, 1_000],
      ['open', 1_000, 3_000],
      ['half-open', 3_000, 4_000],
      ['closed', 4_000, 5_000],
    ]);
    expect(postgresRead?.stretches.map((stretch) => stretch.share)).toEqual([0.2, 0.4, 0.2, 0.2]);
    expect(redis?.stretches).toEqual([{ state: 'closed', fromMs: 0, toMs: 5_000, share: 1 }]);
  });

  it('keeps a long run to the limit, evenly spread, with its first and last samples', () => {
    const samples = Array.from({ length: 1_000 }, (_, index) => sample(index * 1_000, {}));
    const kept = thinSamples(samples, 600);
    expect(kept).toHaveLength(600);
    expect(kept[0]).toBe(samples[0]);
    expect(kept.at(-1)).toBe(samples.at(-1));
    expect(thinSamples(samples.slice(0, 10), 600)).toHaveLength(10);
  });
});
